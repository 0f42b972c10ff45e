/**
 * A namespace Chainboard's ServiceAccount may not read: `/ns/{namespace}` answers 403 (`forbidden()` and
 * app/ns/[namespace]/forbidden.tsx) and still says which namespace, what the API server refused and to
 * whom, and how to grant it - under the same nonce CSP as every page.
 *
 * Needs a dashboard of its own (e2e/support/app-server.ts): the shared one reads the demo cluster-wide,
 * where a single namespace cannot be refused. This one watches a namespace list (CHAINBOARD_NAMESPACES,
 * the namespace-scoped RBAC setup), and the demo refuses its token everything in one of them. That one is
 * not a client environment (no `hst-` prefix): a refused client environment is still listed, as unknown
 * with `data.forbidden` findings (e2e/cluster covers it), so the API's 403 - and this page's - is for a
 * watched namespace Chainboard can tell nothing about.
 */
import { expect, test } from '@playwright/test';
import { OverviewPage } from '../pages/overview-page';
import { startAppServer, type AppServer } from '../support/app-server';
import { DemoCluster } from '../support/demo';
import { SOURCE } from '../support/env';

const TOKEN = 'e2e-forbidden-namespace';
const REFUSED = 'legacy-shop';

test.describe('a namespace Chainboard may not read', () => {
  test.skip(SOURCE !== 'demo', 'needs the live demo cluster (scripts/demo.ts) to refuse a namespace');

  test('gets a 403 page naming the namespace, the refused kind and the RBAC to grant', async ({ page, request }, testInfo) => {
    const demo = await DemoCluster.connect();
    let app: AppServer | undefined;
    try {
      await demo.forbid({ token: TOKEN, namespace: REFUSED });
      app = await startAppServer({
        demo,
        token: TOKEN,
        kubeconfigPath: testInfo.outputPath('kubeconfig'),
        env: { CHAINBOARD_NAMESPACES: `hst-acme ${REFUSED}` },
      });
      const base = app.url;
      // Ready once every cache has listed or been refused: the first request starts them.
      await expect.poll(async () => (await request.get(`${base}/api/readyz`)).status(), { timeout: 30_000 }).toBe(200);

      // The API's answer, which the page must show in full.
      const api = await request.get(`${base}/api/v1/namespaces/${REFUSED}`);
      expect(api.status()).toBe(403);
      const { error } = (await api.json()) as { error: { reason: string; message: string } };
      expect(error.reason).toBe('Forbidden');
      expect(error.message).toMatch(new RegExp(`^Chainboard may not read namespace ${REFUSED}: .+ is forbidden: User "demo-user" cannot list resource "[a-z]+" .* in the namespace "${REFUSED}"$`));

      const cspErrors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
      });
      const response = await page.goto(`${base}/ns/${REFUSED}`);
      expect(response?.status()).toBe(403);
      expect(response?.headers()['content-security-policy']).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('This environment is forbidden to Chainboard');
      const main = page.getByRole('main');
      await expect(main).toContainText(error.message);
      await expect(main).toContainText('Grant it get, list and watch on Ingresses, Services, EndpointSlices, Pods and Events in this namespace');
      await expect(main.getByRole('code').filter({ hasText: 'kubectl auth can-i' })).toHaveText(
        `kubectl auth can-i --list -n ${REFUSED} --as system:serviceaccount:chainboard:chainboard`,
      );

      // The page's scripts ran under the nonce CSP: the way back is a client-side navigation, same document.
      await page.evaluate(() => ((window as unknown as { __sameDocument?: boolean }).__sameDocument = true));
      await page.getByRole('link', { name: '← All client environments' }).click();
      const overview = new OverviewPage(page);
      await expect(overview.heading).toBeVisible();
      await expect.poll(() => overview.names()).toContain('hst-acme');
      expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
      expect(cspErrors).toEqual([]);
    } catch (e) {
      if (app) await testInfo.attach('server output', { body: app.output(), contentType: 'text/plain' });
      throw e;
    } finally {
      await app?.stop();
      await demo.allowAll();
      await demo.dispose();
    }
  });
});
