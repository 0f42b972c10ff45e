/**
 * Chainboard over two clusters: the demo with DEMO_CLUSTERS=2 (scripts/demo.ts), two demo Kubernetes API
 * servers as two kubeconfig contexts watched as `eu` and `us`. `us` holds hst-initech alone and a copy of
 * hst-my-client, the client being moved from `eu` (app.my-client.junovy.com, served by both, public DNS
 * still at `eu`).
 *
 * The spec starts that demo itself, beside the shared web server, on E2E_PORT + 2 (its API servers on
 * + 3 and + 4), on the production build the shared web server's command has just made, and stops it (its
 * process group) at the end.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, request as apiRequest, test, type Page, type TestInfo } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { waitFor } from '../../lib/testing/net';
import { publishScreenshot, ROOT, SOURCE } from '../support/env';

const BASE = Number(process.env.E2E_PORT ?? 3217);
const PORT = BASE + 2;
const URL_ = `http://127.0.0.1:${PORT}`;
const US_API = `http://127.0.0.1:${BASE + 4}`;
const MOVED = 'app.my-client.junovy.com';
const US_ONLY = 'app.initech.junovy.com';

test.describe.configure({ mode: 'serial' });
test.use({ baseURL: URL_ });
test.skip(SOURCE !== 'demo', 'needs the demo script (two demo API servers)');

let demo: ChildProcess | undefined;
let output = '';

const killGroup = (signal: NodeJS.Signals) => {
  try {
    if (demo?.pid !== undefined) process.kill(-demo.pid, signal);
  } catch {
    // Already gone.
  }
};

test.beforeAll(async () => {
  // A build may still be needed when the shared web server was reused from an older run.
  test.setTimeout(900_000);
  for (const url of [URL_, `http://127.0.0.1:${BASE + 3}`, US_API]) {
    const taken = await fetch(url, { signal: AbortSignal.timeout(1000) }).then(
      () => true,
      () => false,
    );
    if (taken) throw new Error(`${url} already answers: stop what listens there (a demo left from an earlier run?)`);
  }
  // Nothing inherited may point this demo elsewhere (another KUBECONFIG, a context, a namespace list).
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k === 'KUBECONFIG' || k.startsWith('CHAINBOARD_') || k.startsWith('DEMO_')) delete env[k];
  Object.assign(env, { NEXT_TELEMETRY_DISABLED: '1', DEMO_CLUSTERS: '2', CHAINBOARD_SHARE_SECRET: 'e2e-only-share-secret-not-for-production-0123456789' });
  demo = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'scripts', 'demo.ts'), '--prod', '--port', String(PORT), '--api-port', String(BASE + 3), '--api-port-2', String(BASE + 4)],
    // detached: its own process group, so the end of the spec reaches the server it spawns too.
    { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  demo.stdout!.on('data', keep);
  demo.stderr!.on('data', keep);
  process.once('exit', () => killGroup('SIGKILL'));
  try {
    await waitFor(
      'the two-cluster demo to be ready with both clusters',
      async () => {
        const res = await fetch(`${URL_}/api/v1/overview`, { signal: AbortSignal.timeout(5000) });
        if (!res.ok) return false;
        const body = (await res.json()) as { sync: { ready: boolean; clusters?: { name: string; ready: boolean }[] } };
        return body.sync.ready && body.sync.clusters?.length === 2;
      },
      { timeoutMs: 880_000, intervalMs: 1000, abort: () => (demo && demo.exitCode === null && demo.signalCode === null ? undefined : 'the demo exited') },
    );
  } catch (e) {
    killGroup('SIGKILL');
    throw new Error(`${(e as Error).message}:\n${output}`);
  }
});

test.afterAll(async () => {
  if (!demo || demo.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => demo!.once('exit', () => resolve()));
  killGroup('SIGTERM');
  const t = setTimeout(() => killGroup('SIGKILL'), 5000);
  await exited;
  clearTimeout(t);
});

const section = (page: Page, cluster: string) => page.getByRole('region', { name: `Cluster ${cluster}`, exact: true });

async function shoot(page: Page, name: string, testInfo: TestInfo) {
  const path = testInfo.outputPath(name);
  await page.screenshot({ path, fullPage: true, animations: 'disabled', caret: 'hide' });
  await testInfo.attach(name, { path, contentType: 'image/png' });
  publishScreenshot(path, name);
}

test('the overview has a section per cluster, each with its environments, totals and own sync state', async ({ page }) => {
  await page.goto('/');
  const eu = section(page, 'eu');
  const us = section(page, 'us');
  await expect(eu.getByRole('heading', { level: 2, name: 'Cluster eu' })).toBeVisible();
  await expect(us.getByRole('heading', { level: 2, name: 'Cluster us' })).toBeVisible();
  // hst-initech is in us alone; hst-my-client, being moved, is an environment of each.
  await expect(us.getByRole('link', { name: 'hst-initech', exact: true })).toHaveAttribute('href', '/c/us/ns/hst-initech');
  await expect(eu.getByRole('link', { name: 'hst-initech', exact: true })).toHaveCount(0);
  await expect(eu.getByRole('link', { name: 'hst-my-client', exact: true })).toHaveAttribute('href', '/c/eu/ns/hst-my-client');
  await expect(us.getByRole('link', { name: 'hst-my-client', exact: true })).toHaveAttribute('href', '/c/us/ns/hst-my-client');
  await expect(eu.getByRole('link', { name: 'hst-acme', exact: true })).toHaveAttribute('href', '/c/eu/ns/hst-acme');
  await expect(us.getByText(/^2 environments · \d+ domains:/)).toBeVisible();
  for (const s of [eu, us]) await expect(s.getByTestId('cluster-sync')).toContainText('Live');
  await expect(page.getByRole('banner').getByRole('status')).toHaveText('Live');
  // Every link to a domain carries its cluster.
  const domainLinks = await page.locator('main a[href*="/d/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
  expect(domainLinks.length).toBeGreaterThan(0);
  expect(domainLinks.filter((h) => !/^\/c\/(eu|us)\/d\//.test(h))).toEqual([]);
});

test('the domain list has a cluster column, and the moved host is a row in each cluster', async ({ page }) => {
  await page.goto(`/?view=domains&q=${MOVED}`);
  const rows = page.getByRole('list', { name: 'Domains' }).getByRole('listitem');
  await expect(rows).toHaveCount(2);
  // Worst first: the order says nothing about the cluster, so each row is found by its cluster cell.
  for (const c of ['eu', 'us']) {
    const row = rows.filter({ has: page.getByTestId('domain-cluster').getByText(`cluster ${c}`, { exact: true }) });
    await expect(row).toHaveCount(1);
    await expect(row.getByTestId('domain-cluster')).toHaveText(`Cluster: cluster ${c}`);
    await expect(row.getByRole('link', { name: MOVED })).toHaveAttribute('href', new RegExp(`^/c/${c}/d/${MOVED.replace(/\./g, '\\.')}`));
    await expect(row.getByRole('link', { name: 'hst-my-client' })).toHaveAttribute('href', `/c/${c}/ns/hst-my-client`);
  }
});

test('/d/{host} and /ns/{namespace} answer 307 to the one cluster that has it, keeping the query', async () => {
  const api = await apiRequest.newContext({ baseURL: URL_ });
  try {
    const d = await api.get(`/d/${US_ONLY}?focus=Service/app&window=7d`, { maxRedirects: 0 });
    expect(d.status()).toBe(307);
    expect(new URL(d.headers().location!, URL_).pathname + new URL(d.headers().location!, URL_).search).toBe(`/c/us/d/${US_ONLY}?focus=Service/app&window=7d`);
    const ns = await api.get('/ns/hst-initech', { maxRedirects: 0 });
    expect(ns.status()).toBe(307);
    expect(new URL(ns.headers().location!, URL_).pathname).toBe('/c/us/ns/hst-initech');
    const eu = await api.get('/d/www.acme.junovy.com', { maxRedirects: 0 });
    expect(new URL(eu.headers().location!, URL_).pathname).toBe('/c/eu/d/www.acme.junovy.com');
    // A name in no cluster stays a 404 with its message.
    const unknown = await api.get('/d/nope.example.com', { maxRedirects: 0 });
    expect(unknown.status()).toBe(404);
    expect(await unknown.text()).toContain('Unknown domain');
  } finally {
    await api.dispose();
  }
});

test("a cluster's domain page polls its own cluster and names it", async ({ page }) => {
  const polled = page.waitForRequest((r) => r.url().includes(`/api/v1/domains/${US_ONLY}?cluster=us`));
  await page.goto(`/d/${US_ONLY}`);
  await expect(page).toHaveURL(new RegExp(`/c/us/d/${US_ONLY.replace(/\./g, '\\.')}$`));
  await expect(page.getByRole('heading', { level: 1 })).toContainText(US_ONLY);
  await expect(page.locator('main').getByText('cluster us', { exact: true })).toBeVisible();
  await polled;
  await expect(page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'hst-initech' })).toHaveAttribute('href', '/c/us/ns/hst-initech');
});

test('an environment in two clusters: /ns/ lets one choose, each cluster page names the other', async ({ page }) => {
  await page.goto('/ns/hst-my-client');
  await expect(page.getByRole('link', { name: 'hst-my-client in cluster eu →' })).toHaveAttribute('href', '/c/eu/ns/hst-my-client');
  await page.getByRole('link', { name: 'hst-my-client in cluster us →' }).click();
  await expect(page).toHaveURL(/\/c\/us\/ns\/hst-my-client$/);
  await expect(page.getByRole('link', { name: 'cluster eu' })).toHaveAttribute('href', '/c/eu/ns/hst-my-client');
  await expect(page.getByRole('region', { name: /^Domains \(1\)$/ }).getByRole('link', { name: MOVED })).toHaveAttribute('href', new RegExp(`^/c/us/d/`));
});

test('the moved host without a cluster shows both chains, each titled with its cluster, and names the one DNS points at', async ({ page }, testInfo) => {
  // Where DNS points comes from the DNS probe, which runs shortly after the caches sync.
  await expect
    .poll(
      async () => {
        const res = await page.goto(`/d/${MOVED}`);
        expect(res?.status()).toBe(200);
        return page.getByTestId('dns-verdict').textContent();
      },
      { timeout: 60_000, intervals: [2000] },
    )
    .toBe('Public DNS points at cluster eu today.');
  const eu = page.getByRole('region', { name: 'Cluster eu' });
  const us = page.getByRole('region', { name: 'Cluster us' });
  await expect(eu.getByRole('heading', { level: 2 })).toContainText('Cluster eu');
  await expect(us.getByRole('heading', { level: 2 })).toContainText('Cluster us');
  await expect(eu.getByText('DNS points here today')).toBeVisible();
  await expect(us.getByText('DNS points elsewhere')).toBeVisible();
  for (const [s, c] of [
    [eu, 'eu'],
    [us, 'us'],
  ] as const) {
    await expect(s.getByRole('group', { name: `Chain of ${MOVED} in cluster ${c}` })).toBeVisible();
    await expect(s.getByRole('link', { name: `Open the chain in cluster ${c} →` })).toHaveAttribute('href', new RegExp(`^/c/${c}/d/${MOVED.replace(/\./g, '\\.')}`));
  }
  await expect(page.getByText(/^Updated \d+ s ago/).first()).toBeVisible();
  await shoot(page, 'domain-two-clusters.png', testInfo);

  // One cluster's page of the host links to the other's.
  await us.getByRole('link', { name: 'Open the chain in cluster us →' }).click();
  await expect(page).toHaveURL(new RegExp(`/c/us/d/${MOVED.replace(/\./g, '\\.')}`));
  const also = page.getByRole('region', { name: 'Also served by' });
  await expect(also).toContainText('This page shows cluster us (DNS points elsewhere)');
  await expect(also.getByRole('link', { name: `${MOVED} in cluster eu` })).toHaveAttribute('href', `/c/eu/d/${MOVED}`);
  await expect(also).toContainText('DNS points here today');
});

test('the pages over two clusters pass the axe audit (WCAG 2.1 A and AA), light and dark', async ({ page }) => {
  test.setTimeout(120_000);
  const targets = ['/', `/?view=domains&q=${MOVED}`, `/d/${MOVED}`, `/c/us/d/${MOVED}`, '/c/us/ns/hst-my-client', '/ns/hst-my-client'];
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const target of targets) {
      await page.goto(target);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      // The diagram's nodes show shortened names: the accessibility spec gives its reason for this one exception.
      const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).disableRules(['label-content-name-mismatch']).analyze();
      expect(
        results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`),
        `axe violations on ${target} (${scheme})`,
      ).toEqual([]);
    }
  }
});

test('an unknown cluster is a 404 that names it and the clusters there are', async ({ page }) => {
  const res = await page.goto(`/c/mars/d/${US_ONLY}`);
  expect(res?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Unknown cluster');
  await expect(page.locator('main')).toContainText('Chainboard watches no cluster named mars.');
  await expect(page.locator('main')).toContainText('Its clusters: eu, us.');
  const ns = await page.goto('/c/mars/ns/hst-initech');
  expect(ns?.status()).toBe(404);
  // A known cluster that does not serve the host: the domain's 404, naming the cluster.
  const wrong = await page.goto(`/c/eu/d/${US_ONLY}`);
  expect(wrong?.status()).toBe(404);
  await expect(page.locator('main')).toContainText(`No Ingress rule in a client environment of cluster eu serves ${US_ONLY}.`);
});

test("one cluster's API server going away makes only its section stale, with its last data kept", async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  // The moved client only: a section each, short enough for the README's picture.
  await page.goto('/?q=my-client');
  await expect(section(page, 'us').getByRole('link', { name: 'hst-my-client', exact: true })).toBeVisible();
  const us = await apiRequest.newContext({ baseURL: US_API });
  try {
    // The demo admin's outage: the API server stops listening (every watch cut) and comes back after 60 s.
    const res = await us.post('/demo/v1/outage', { data: { seconds: 60 } });
    expect(res.status()).toBe(202);
  } finally {
    await us.dispose();
  }
  const usSection = section(page, 'us');
  const euSection = section(page, 'eu');
  await expect(usSection.getByRole('alert')).toContainText(/Cluster us: stale since/, { timeout: 45_000 });
  await expect(usSection.getByTestId('cluster-sync')).toContainText('Stale');
  // Its environments stay, with their last good data.
  await expect(usSection.getByRole('link', { name: 'hst-my-client', exact: true })).toBeVisible();
  await expect(euSection.getByRole('link', { name: 'hst-my-client', exact: true })).toBeVisible();
  // The other cluster is untouched, and the page as a whole is not called stale.
  await expect(euSection.getByRole('alert')).toHaveCount(0);
  await expect(euSection.getByTestId('cluster-sync')).toContainText('Live');
  await expect(page.getByRole('alert').filter({ hasText: /^Stale since/ })).toHaveCount(0);
  await expect(page.getByRole('banner').getByRole('status')).toHaveText(/^Partly stale: cluster us unreachable since /);
  await shoot(page, 'overview-clusters.png', testInfo);
});
