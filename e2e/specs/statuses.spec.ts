/**
 * The production server's HTTP statuses say what its pages say: a page that explains a bad parameter
 * answers 400, a malformed percent-escape is a 400 (the API's JSON error under /api/), pages answer GET
 * and HEAD only, and a preview image of an unknown domain is a 404. A second server with a render queue
 * of one refuses what it cannot take with 503 and Retry-After, while its probes keep answering.
 */
import { expect, test } from '@playwright/test';
import { ErrorPage } from '../pages/error-page';
import { startAppServer, type AppServer } from '../support/app-server';
import { DemoCluster } from '../support/demo';
import { SOURCE } from '../support/env';

const TEN_KB = 'a'.repeat(10 * 1024);
const KNOWN = 'checkout.acme.junovy.com';

test.describe('a page that says its parameter is not valid answers 400', () => {
  const domains = ['/d/..%2f..%2fetc%2fpasswd', `/d/${TEN_KB}`, '/d/app%00.x', '/d/%FF%FE.example'];
  for (const target of domains) {
    test(`the domain page ${target.length > 40 ? `with a ${target.length - 3}-character host` : target}`, async ({ page }) => {
      const errors = new ErrorPage(page);
      const response = await errors.goto(target);
      expect(response?.status()).toBe(400);
      await expect(errors.heading).toHaveText('Not a domain name');
      await expect(errors.statedStatus('Not a domain name', 400)).toBeVisible();
      await expect(errors.backLink).toBeVisible();
    });
  }

  for (const target of ['/ns/%3Cscript%3E', '/ns/%FF']) {
    test(`the environment page ${target}`, async ({ page }) => {
      const errors = new ErrorPage(page);
      const response = await errors.goto(target);
      expect(response?.status()).toBe(400);
      await expect(errors.heading).toHaveText('Not a valid environment name');
      await expect(errors.statedStatus('Not a valid environment name', 400)).toBeVisible();
    });
  }

  test('the overview with a search longer than the API takes', async ({ page }) => {
    const errors = new ErrorPage(page);
    const response = await errors.goto(`/?q=${TEN_KB}`);
    expect(response?.status()).toBe(400);
    await expect(errors.heading).toHaveText('Not a valid search');
    await expect(errors.notice('Not a valid search')).toContainText('q must be at most 200 characters');
  });

  test('while a valid one keeps its own status: 200, or 404 for one nobody serves', async ({ page }) => {
    expect((await page.goto(`/d/${KNOWN}`))?.status()).toBe(200);
    expect((await page.goto('/ns/hst-acme'))?.status()).toBe(200);
    expect((await page.goto('/d/nope.example.com'))?.status()).toBe(404);
  });
});

test.describe('a malformed percent-escape under /api/ gets the API’s 400 JSON error', () => {
  for (const target of ['/api/v1/domains/%FF%FE.example', '/api/v1/namespaces/%FF', '/api/v1/domains/%E0%A4%A', '/api/v1/share/abc%ZZ/badge.svg']) {
    test(target, async ({ request }) => {
      const response = await request.get(target);
      expect(response.status()).toBe(400);
      expect(response.headers()['content-type']).toBe('application/json; charset=utf-8');
      expect(response.headers()['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(response.headers()['x-content-type-options']).toBe('nosniff');
      expect(await response.json()).toEqual({ error: { status: 400, reason: 'BadRequest', message: 'the path is not valid percent-encoding' } });
    });
  }
});

test.describe('pages answer GET and HEAD only', () => {
  for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
    test(`${method} on a page is 405 with Allow: GET, HEAD`, async ({ request }) => {
      for (const target of ['/', `/d/${KNOWN}`, '/ns/hst-acme', '/login']) {
        const response = await request.fetch(target, { method, maxRedirects: 0 });
        expect(response.status(), `${method} ${target}`).toBe(405);
        expect(response.headers()['allow']).toBe('GET, HEAD');
      }
    });
  }

  test('the sign-in form still posts to /api/login', async ({ request }) => {
    const response = await request.post('/api/login', { form: { token: 'x', next: '/' }, maxRedirects: 0 });
    expect(response.status()).toBe(303);
  });

  test('HEAD on a page answers like GET, without a body', async ({ request }) => {
    const response = await request.head(`/d/${KNOWN}`);
    expect(response.status()).toBe(200);
    expect((await response.body()).length).toBe(0);
  });
});

test.describe('the link-preview image of a domain', () => {
  test('is a PNG for a known domain and a 404 for any other host', async ({ request }) => {
    const known = await request.get(`/d/${KNOWN}/opengraph-image`);
    expect(known.status()).toBe(200);
    expect(known.headers()['content-type']).toBe('image/png');
    expect((await request.get('/d/nope.example.com/opengraph-image')).status()).toBe(404);
    expect((await request.get('/d/not_a_host!/opengraph-image')).status()).toBe(404);
  });
});

test.describe('a server whose render queue is full', () => {
  test.skip(SOURCE !== 'demo', 'starts a second server, which reads the live demo cluster');

  test('refuses more pages with 503 and Retry-After, and keeps answering its probes', async ({ request }, testInfo) => {
    test.setTimeout(90_000);
    const demo = await DemoCluster.connect();
    let app: AppServer | undefined;
    try {
      app = await startAppServer({
        demo,
        token: 'e2e-statuses',
        kubeconfigPath: testInfo.outputPath('kubeconfig'),
        env: { CHAINBOARD_RENDER_CONCURRENCY: '1', CHAINBOARD_RENDER_QUEUE: '0' },
      });
      const base = app.url;
      await expect.poll(async () => (await request.get(`${base}/api/readyz`)).status(), { timeout: 30_000 }).toBe(200);
      // A page render takes milliseconds: of 20 different pages at once, one renders and the others find
      // no place (20 identical ones would share one render instead).
      // The environment's own URL: the one without a cluster is a redirect, a second render per page.
      const pages = await Promise.all(Array.from({ length: 20 }, (_, i) => request.get(`${base}/c/default/ns/hst-acme?n=${i}`)));
      const statuses = pages.map((p) => p.status());
      expect(statuses).toContain(200);
      expect(statuses).toContain(503);
      expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
      const refused = pages.find((p) => p.status() === 503)!;
      expect(refused.headers()['retry-after']).toBe('2');
      expect(await refused.text()).toContain('Chainboard is busy');
      expect((await request.get(`${base}/api/healthz`)).status()).toBe(200);
    } catch (e) {
      if (app) await testInfo.attach('server output', { body: app.output(), contentType: 'text/plain' });
      throw e;
    } finally {
      await app?.stop();
      await demo.dispose();
    }
  });
});
