/**
 * Before its first sync Chainboard has nothing true to show: the API answers 503 with Retry-After, the
 * readiness probe fails, and the pages say the caches are syncing - then the open page turns into the
 * real one by itself once the lists arrive.
 *
 * The shared web server synced long ago, so this starts a second one (e2e/support/app-server.ts) against
 * a demo API server that holds its LIST requests (`hold-lists`, for this server's token only): an
 * overloaded or distant API server, as after a restart on a big cluster. The hold ends by itself (HOLD_S)
 * should the spec die; normally the spec releases it once it has seen the syncing state.
 */
import { expect, test } from '@playwright/test';
import { OverviewPage } from '../pages/overview-page';
import { startAppServer, type AppServer } from '../support/app-server';
import { DemoCluster } from '../support/demo';
import { SOURCE } from '../support/env';

const TOKEN = 'e2e-syncing';
// Far more than the syncing checks need, and below the dashboard's 60 s list timeout, so a held list is
// answered, never abandoned and retried with backoff.
const HOLD_S = 45;

test.describe('a dashboard whose first lists have not arrived', () => {
  test.skip(SOURCE !== 'demo', 'needs the live demo cluster (scripts/demo.ts) to hold the lists');

  test('answers 503 and shows "Caches are syncing", then the overview without a reload', async ({ page, request }, testInfo) => {
    test.setTimeout(HOLD_S * 1000 + 60_000);
    const demo = await DemoCluster.connect();
    let app: AppServer | undefined;
    try {
      await demo.holdLists(HOLD_S, { token: TOKEN });
      app = await startAppServer({ demo, token: TOKEN, kubeconfigPath: testInfo.outputPath('kubeconfig') });
      const base = app.url;

      // The first request that needs data starts the watch caches; their lists are held.
      const api = await request.get(`${base}/api/v1/overview`);
      expect(api.status()).toBe(503);
      expect(api.headers()['retry-after']).toBe('2');
      const { error } = (await api.json()) as { error: { reason: string; message: string } };
      expect(error.reason).toBe('NotReady');
      expect(error.message).toMatch(/^(waiting for the first list of .*Ingress|the cluster caches have not synced yet)/);
      const ready = await request.get(`${base}/api/readyz`);
      expect(ready.status()).toBe(503);
      expect(((await ready.json()) as { status: string }).status).toBe('syncing');

      // The page explains, and names what it waits for. (Its status is 200: a page cannot set a 503 -
      // Next has no such interrupt, unlike forbidden() - so only the API and readiness say 503.)
      await page.goto(`${base}/`);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Caches are syncing');
      await expect(page.getByRole('main').getByRole('status')).toHaveText(/^waiting for the first list of .*Ingress/);
      await page.evaluate(() => ((window as unknown as { __sameDocument?: boolean }).__sameDocument = true));

      // The API server catches up; the page refreshes itself (every 2 s) into the overview.
      await demo.releaseLists();
      const overview = new OverviewPage(page);
      await expect(overview.heading).toBeVisible({ timeout: 30_000 });
      await expect.poll(() => overview.names()).toContain('hst-acme');
      expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
      expect((await request.get(`${base}/api/v1/overview`)).status()).toBe(200);
      expect((await request.get(`${base}/api/readyz`)).status()).toBe(200);
    } catch (e) {
      if (app) await testInfo.attach('server output', { body: app.output(), contentType: 'text/plain' });
      throw e;
    } finally {
      await app?.stop();
      // Nothing held is left for the next spec (or a rerun against a reused web server).
      await demo.releaseLists();
      await demo.dispose();
    }
  });
});
