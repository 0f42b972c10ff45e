// The live source over several clusters, each a demo Kubernetes API server (the real list/watch protocol
// on 127.0.0.1) behind its own kubeconfig context: every cluster is synced, named and served on its own,
// and one that goes away or cannot start leaves the others' data whole.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startDemoServer, type DemoServer } from '../../demo/server';
import { FIXTURE_DUMP } from '../../demo/testing';
import { waitFor } from '../testing/net';
import { parseConfig } from '../server/config';
import { createApiService } from './service';
import { createSource, resolveTargets, type AnalysisSource } from './source';

const quiet = { log: () => {}, now: () => new Date() };
// The kubeconfig loader reads KUBECONFIG from the process, as client-node does: each test sets it.
const env = (kubeconfig: string, more: Record<string, string> = {}) => {
  process.env.KUBECONFIG = kubeconfig;
  return { CHAINBOARD_PROBE: 'off', CHAINBOARD_HISTORY: 'off', ...more };
};
const savedKubeconfig = process.env.KUBECONFIG;

describe('the live source over several clusters', () => {
  let eu: DemoServer;
  let us: DemoServer;
  let dir: string;
  let kubeconfig: string;

  before(async () => {
    [eu, us] = await Promise.all([startDemoServer({ dumpPath: FIXTURE_DUMP }), startDemoServer({ dumpPath: FIXTURE_DUMP })]);
    // `us` serves the same clients but globex: www.globex.example.com is in eu alone, the others in both.
    us.remove('Ingress', 'hst-globex', 'web');
    dir = mkdtempSync(join(tmpdir(), 'chainboard-clusters-'));
    const a = eu.writeKubeconfig(join(dir, 'eu.yaml'), { context: 'kind-eu' });
    const b = us.writeKubeconfig(join(dir, 'us.yaml'), { context: 'kind-us' });
    // client-node merges a KUBECONFIG list: one kubeconfig with both contexts, as kubectl sees it.
    kubeconfig = `${a}:${b}`;
  });

  after(async () => {
    if (savedKubeconfig === undefined) delete process.env.KUBECONFIG;
    else process.env.KUBECONFIG = savedKubeconfig;
    await Promise.all([eu.close(), us.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  const start = (more: Record<string, string>): Promise<AnalysisSource> => createSource(parseConfig(env(kubeconfig, more)), quiet);
  const synced = (s: AnalysisSource) => waitFor('every cluster synced', () => s.clusters().every((c) => c.result && c.sync.ready), { timeoutMs: 20_000 });

  it('watches each context as a cluster of its own, and the API names the cluster of every row and chain', async () => {
    const source = await start({ CHAINBOARD_CONTEXTS: 'eu=kind-eu,us=kind-us' });
    try {
      await synced(source);
      assert.deepEqual(source.clusters().map((c) => c.name), ['eu', 'us']);
      const api = createApiService(async () => source);
      const overview = await api.getOverview();
      assert.ok(overview.ok);
      assert.deepEqual(overview.data.clusters.map((c) => c.name), ['eu', 'us']);
      assert.deepEqual([...new Set(overview.data.namespaces.map((r) => r.cluster))], ['eu', 'us'], 'rows grouped by cluster, in order');
      assert.deepEqual(overview.data.sync.clusters?.map((c) => [c.name, c.ready]), [['eu', true], ['us', true]]);

      const only = await api.getDomain('www.globex.example.com');
      assert.ok(only.ok);
      assert.equal(only.data.domain.cluster, 'eu');
      assert.equal(only.data.servedBy, undefined);
      const shared = await api.getDomain('api.acme.example.com');
      assert.ok(shared.ok);
      assert.deepEqual(shared.data.servedBy?.map((s) => [s.cluster, s.dns]), [['eu', 'unknown'], ['us', 'unknown']], 'probes off: where DNS points is unknown');
      const inUs = await api.getDomain('api.acme.example.com', 'us');
      assert.ok(inUs.ok && inUs.data.domain.cluster === 'us');
      const missing = await api.getDomain('www.globex.example.com', 'us');
      assert.ok(!missing.ok && missing.status === 404);
      assert.match(missing.body.error.message, /of cluster us serves www\.globex\.example\.com \(it is served by eu\)/);
      const mars = await api.getDomains({ cluster: 'mars' });
      assert.ok(!mars.ok && mars.status === 404 && /no cluster is named "mars" \(clusters: eu, us\)/.test(mars.body.error.message));
      const list = await api.getDomains({ cluster: 'us' });
      assert.ok(list.ok && list.data.domains.every((d) => d.cluster === 'us'));
    } finally {
      await source.stop();
    }
  });

  it('a cluster whose API server goes away turns stale with its last good data, and the other stays fresh', async () => {
    const source = await start({ CHAINBOARD_CONTEXTS: 'eu=kind-eu,us=kind-us' });
    try {
      await synced(source);
      const before = source.clusters().find((c) => c.name === 'us')!.result;
      await us.stop();
      const [euNow, usNow] = await waitFor('us stale', () => {
        const cs = source.clusters();
        return cs[1]?.sync.stale ? cs : undefined;
      }, { timeoutMs: 20_000 });
      assert.equal(usNow!.result, before, 'us keeps its last good data');
      assert.equal(euNow!.sync.stale, undefined, 'eu is not stale');
      assert.ok(euNow!.result && euNow!.sync.ready);
      const api = createApiService(async () => source);
      const o = await api.getOverview();
      assert.ok(o.ok);
      assert.match(o.data.sync.stale?.error ?? '', /^us: /, 'the summed-up sync names the stale cluster');
      assert.deepEqual(o.data.sync.clusters?.map((c) => [c.name, !!c.stale]), [['eu', false], ['us', true]]);
      assert.ok(o.data.namespaces.some((r) => r.cluster === 'us'), "us's environments are still listed");
    } finally {
      await us.restart();
      await source.stop();
    }
  });

  it('a cluster that cannot start is listed with the reason while the others serve', async () => {
    const source = await start({ CHAINBOARD_CONTEXTS: 'eu=kind-eu,gone=no-such-context' });
    try {
      await waitFor('eu synced', () => source.clusters()[0]?.result);
      const gone = source.clusters()[1]!;
      assert.equal(gone.name, 'gone');
      assert.equal(gone.result, undefined);
      assert.match(gone.notReadyReason ?? '', /cluster gone cannot start: kubeconfig has no context "no-such-context"/);
      const api = createApiService(async () => source);
      const o = await api.getOverview();
      assert.ok(o.ok, 'the overview answers with eu');
      assert.deepEqual(o.data.sync.clusters?.map((c) => [c.name, c.ready, c.notReadyReason?.slice(0, 20)]), [
        ['eu', true, undefined],
        ['gone', false, 'cluster gone cannot '],
      ]);
      const d = await api.getDomain('www.globex.example.com', 'gone');
      assert.ok(!d.ok && d.status === 503 && /cluster gone has no data yet/.test(d.body.error.message));
    } finally {
      await source.stop();
    }
    await assert.rejects(start({ CHAINBOARD_CONTEXTS: 'x=nope-1,y=nope-2' }), /x: kubeconfig has no context "nope-1".*y: kubeconfig has no context "nope-2"/, 'none starts: the source fails, naming each');
  });

  it('every context with *, and a folder of remote kubeconfigs named after their files', async () => {
    const all = parseConfig(env(kubeconfig, { CHAINBOARD_CONTEXTS: '*' })).cluster;
    assert.ok(all.mode === 'live');
    assert.deepEqual(await resolveTargets(all), [
      { name: 'kind-eu', context: 'kind-eu' },
      { name: 'kind-us', context: 'kind-us' },
    ]);
    const remote = join(dir, 'remote');
    mkdirSync(remote);
    us.writeKubeconfig(join(remote, 'us-east.yaml'), { context: 'whatever' });
    // What a mounted Secret holds beside its keys: skipped.
    mkdirSync(join(remote, '..2026_12_06'));
    writeFileSync(join(remote, '.hidden'), '');
    const withRemote = parseConfig(env(join(dir, 'eu.yaml'), { CHAINBOARD_CLUSTER_NAME: 'local', CHAINBOARD_REMOTE_KUBECONFIGS: remote })).cluster;
    assert.ok(withRemote.mode === 'live');
    assert.deepEqual(await resolveTargets(withRemote), [{ name: 'local' }, { name: 'us-east', kubeconfig: join(remote, 'us-east.yaml') }]);
    const source = await createSource(parseConfig(env(join(dir, 'eu.yaml'), { CHAINBOARD_CLUSTER_NAME: 'local', CHAINBOARD_REMOTE_KUBECONFIGS: remote })), quiet);
    try {
      await synced(source);
      assert.deepEqual(source.clusters().map((c) => [c.name, c.result!.domains.length > 0]), [['local', true], ['us-east', true]]);
    } finally {
      await source.stop();
    }
    writeFileSync(join(remote, 'Bad_Name'), '');
    await assert.rejects(resolveTargets(withRemote), /the file "Bad_Name" must be named after its cluster/);
  });
});
