// History as the app records it over two clusters, each a demo Kubernetes API server (the real list/watch
// protocol on 127.0.0.1) behind its own kubeconfig context, into an embedded store: every cluster gets
// its own recorder under its own name, and one cluster going stale is no data for it alone.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startDemoServer } from '../../demo/server';
import { FIXTURE_DUMP } from '../../demo/testing';
import { waitFor } from '../testing/net';
import { createApp } from './app';
import { parseConfig } from './config';

describe('history of two clusters', () => {
  it('records each cluster under its own name, and a cluster that goes away stops only its own coverage', async () => {
    const [eu, us] = await Promise.all([startDemoServer({ dumpPath: FIXTURE_DUMP }), startDemoServer({ dumpPath: FIXTURE_DUMP })]);
    // us serves the same clients but globex: www.globex.example.com is in eu alone.
    us.remove('Ingress', 'hst-globex', 'web');
    const dir = mkdtempSync(join(tmpdir(), 'chainboard-history-clusters-'));
    const saved = process.env.KUBECONFIG;
    process.env.KUBECONFIG = `${eu.writeKubeconfig(join(dir, 'eu.yaml'), { context: 'kind-eu' })}:${us.writeKubeconfig(join(dir, 'us.yaml'), { context: 'kind-us' })}`;
    const app = createApp(
      parseConfig({ CHAINBOARD_CONTEXTS: 'eu=kind-eu,us=kind-us', CHAINBOARD_PROBE: 'off', CHAINBOARD_DATA_DIR: join(dir, 'history'), CHAINBOARD_NAMESPACES: 'hst-acme,hst-globex' }),
      { log: () => {} },
    );
    try {
      assert.equal(app.history.status().defaultCluster, 'eu', 'the first configured cluster');
      await app.source();
      const states = async (cluster: string) => {
        const st = app.history.status();
        if (!st.available) throw new Error(`history unavailable: ${st.reason}`);
        const s = await app.history.lastStates(cluster);
        if (!s || s.size === 0) throw new Error(`nothing recorded for ${cluster} yet (${st.pending} pending)`);
        return s;
      };
      const [inEu, inUs] = await waitFor('both clusters recorded', async () => [await states('eu'), await states('us')] as const, { timeoutMs: 60_000, intervalMs: 100 });
      assert.ok(inEu.has('www.globex.example.com'));
      assert.ok(!inUs.has('www.globex.example.com'), 'a host only eu serves is not in us\'s history');
      assert.ok(inEu.has('api.acme.example.com') && inUs.has('api.acme.example.com'), 'a host both serve is in both');
      const started = new Date();
      // A coverage span ends at its last heartbeat (every 10 s): let both clusters' spans reach one
      // beyond their first, so the time us is watched is not an instant.
      await new Promise((r) => setTimeout(r, 11_000));

      await us.stop();
      const read = (cluster: string) => {
        const now = new Date();
        return app.history.domain('api.acme.example.com', { cluster, since: new Date(started.getTime() - 60_000), until: now, limit: 10 });
      };
      // us's recorder closes its coverage at its next tick once its caches are stale; eu's goes on.
      const usPast = await waitFor(
        'us\'s coverage closed',
        async () => {
          const d = await read('us');
          const last = d?.noData.at(-1);
          return last && Date.parse(last.end) >= Date.now() - 2000 && Date.parse(last.start) > started.getTime() ? d : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 250 },
      );
      assert.equal(usPast.cluster, 'us');
      const covered = usPast.noData.length >= 2 ? Date.parse(usPast.noData.at(-1)!.start) - Date.parse(usPast.noData.at(-2)!.end) : 0;
      assert.ok(covered >= 9_000, `us was covered while it was up: ${JSON.stringify(usPast.noData)}`);
      const euPast = await read('eu');
      assert.equal(euPast?.cluster, 'eu');
      const euGap = euPast?.noData.find((s) => Date.parse(s.end) > started.getTime());
      assert.equal(euGap, undefined, `eu has no gap while us is gone: ${JSON.stringify(euPast?.noData)}`);
      const current = euPast?.current;
      assert.ok(current && current.state !== 'no-data', 'eu still knows the host\'s state');
    } finally {
      if (saved === undefined) delete process.env.KUBECONFIG;
      else process.env.KUBECONFIG = saved;
      await app.shutdown();
      await Promise.all([eu.close(), us.close()]);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
