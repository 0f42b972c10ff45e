/**
 * Two replicas of Chainboard behind one Service, as a Deployment with `replicas: 2` runs them: two
 * production servers side by side on the same demo cluster, each with its own watch caches, one share
 * secret, and one real PostgreSQL for history (lib/testing/postgres.ts starts Debian's server on
 * loopback). They give the same answers; a link made on one opens on the other; both serve the same
 * history, written by one of them; and when the writer stops, the other takes over the writing.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { startPostgres, type PostgresServer } from '../../lib/testing/postgres';
import { startAppServer, type AppServer } from '../support/app-server';
import { DemoCluster } from '../support/demo';
import { SOURCE } from '../support/env';

const NS = 'hst-my-client';
const SERVICE = 'my-app';
const HOST = 'app.my-client.junovy.com';

interface History {
  transitions: { from: string; to: string; at: string; codes: string[] }[];
  changes: { kind: string; name: string; at: string; lines: string[] }[];
  current?: { state: string; since: string };
}

/** An answer without the moment it was made (analyzedAt, sync): what two replicas must agree on. */
async function answer(request: APIRequestContext, url: string): Promise<unknown> {
  const res = await request.get(url);
  expect(res.status(), url).toBe(200);
  const { analyzedAt: _a, sync: _s, ...rest } = (await res.json()) as Record<string, unknown>;
  return rest;
}

async function history(request: APIRequestContext, base: string): Promise<History> {
  const res = await request.get(`${base}/api/v1/domains/${HOST}/history?since=1h`);
  expect(res.status(), `${base} history`).toBe(200);
  return (await res.json()) as History;
}

test.describe('two replicas behind one Service', () => {
  test.skip(SOURCE !== 'demo', 'needs the live demo cluster (scripts/demo.ts)');

  test('answer alike, verify each other’s share links, and share one history with one writer at a time', async ({ request }, testInfo) => {
    test.setTimeout(240_000);
    const demo = await DemoCluster.connect();
    let pg: PostgresServer | undefined;
    const servers: AppServer[] = [];
    const svc = await demo.get(`/api/v1/namespaces/${NS}/services/${SERVICE}`);
    const selector = (svc.spec as { selector: Record<string, string> }).selector;
    try {
      pg = await startPostgres({ database: 'chainboard_replicas' });
      const env = { CHAINBOARD_SHARE_SECRET: randomBytes(32).toString('base64url'), CHAINBOARD_DATABASE_URL: pg.url };
      for (const name of ['a', 'b']) {
        mkdirSync(testInfo.outputPath(name), { recursive: true });
        servers.push(await startAppServer({ demo, token: `e2e-replica-${name}`, kubeconfigPath: testInfo.outputPath(`${name}/kubeconfig`), env }));
      }
      const [a, b] = servers as [AppServer, AppServer];
      for (const s of servers) await expect.poll(async () => (await request.get(`${s.url}/api/readyz`)).status(), { timeout: 60_000 }).toBe(200);

      await demo.withTimelinePaused(async () => {
        // Each replica watches on its own; once both caught up with the paused cluster they agree.
        for (const path of ['/api/v1/overview?limit=1000', `/api/v1/domains/${HOST}`, `/api/v1/namespaces/${NS}`]) {
          await expect
            .poll(async () => JSON.stringify(await answer(request, a.url + path)) === JSON.stringify(await answer(request, b.url + path)), { timeout: 30_000, message: path })
            .toBe(true);
        }

        // One share secret: a link made on one replica opens on the other, and a forged one on neither.
        const made = await request.post(`${a.url}/api/v1/share`, { data: { host: HOST, ttl: '1d' } });
        expect(made.status()).toBe(201);
        const { token } = (await made.json()) as { token: string };
        for (const s of servers) expect((await request.get(`${s.url}/api/v1/share/${encodeURIComponent(token)}`)).status(), s.url).toBe(200);
        const forged = `${token.slice(0, -4)}${token.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
        for (const s of servers) expect((await request.get(`${s.url}/api/v1/share/${encodeURIComponent(forged)}`)).status(), s.url).not.toBe(200);

        // One history: both read the same rows from PostgreSQL, whichever of them wrote them.
        await expect.poll(async () => (await history(request, a.url)).current?.state, { timeout: 30_000 }).toBe('healthy');
        // The rows, not the uptime figures: those are counted up to each answer's own `now`.
        const rows = async (base: string) => {
          const h = await history(request, base);
          return JSON.stringify([h.transitions, h.changes, h.current]);
        };
        await expect.poll(async () => (await rows(b.url)) === (await rows(a.url)), { timeout: 60_000 }).toBe(true);
        expect((await history(request, b.url)).transitions.length).toBeGreaterThan(0);

        // The first replica stops: the other takes the writer's lock and records what happens next.
        await a.stop();
        await demo.patch('Service', NS, SERVICE, { spec: { selector: { app: 'nothing-matches-this' } } });
        try {
          // The remaining replica sees the break live at once...
          await expect.poll(async () => ((await answer(request, `${b.url}/api/v1/domains/${HOST}`)) as { domain: { health: string } }).domain.health, { timeout: 30_000 }).toBe('down');
          // ... and, now the writer, records it.
          await expect
            .poll(async () => (await history(request, b.url)).current?.state, { timeout: 60_000 })
            .toBe('down')
            .catch((e: Error) => {
              throw new Error(`the remaining replica did not record the transition (${e.message}); its log:\n${b.output()}`);
            });
          const down = await history(request, b.url);
          const last = down.transitions.at(-1)!;
          expect([last.from, last.to]).toEqual(['healthy', 'down']);
          expect(last.codes).toContain('service.selector-matches-nothing');
        } finally {
          await demo.patch('Service', NS, SERVICE, { spec: { selector } });
        }
        await expect.poll(async () => (await history(request, b.url)).current?.state, { timeout: 60_000 }).toBe('healthy');
      });
    } finally {
      for (const s of servers) await s.stop();
      await pg?.cleanup();
      await demo.dispose();
    }
  });
});
