import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { startDemoServer, type DemoServer } from '../../demo/server';
import { FIXTURE_DUMP } from '../../demo/testing';
import { waitFor } from '../testing/net';
import { analyze } from '../chain';
import type { SlimPod, SlimTlsSecret } from '../model/k8s';
import { LiveSource, type KindStatus, type LiveSourceOptions, type SourceEvent } from './live';
import { AnalysisStore, syncInfo } from './store';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Harness {
  demo: DemoServer;
  source: LiveSource;
  store: AnalysisStore;
  requests: string[];
}

/** A demo cluster, a live source over it through a kubeconfig, and a store; all stopped after the test. */
async function harness(opts: Partial<LiveSourceOptions> = {}, demoOpts: Parameters<typeof startDemoServer>[0] = {}): Promise<Harness> {
  const requests: string[] = [];
  const demo = await startDemoServer({ dumpPath: FIXTURE_DUMP, log: (l) => requests.push(l), ...demoOpts });
  cleanups.push(() => demo.close());
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(demo.kubeconfig());
  const source = new LiveSource({
    kubeConfig,
    pageSize: 2,
    // Fast, deterministic retries: the tests wait for outcomes, not for delays.
    backoff: { initialMs: 20, maxMs: 200, jitter: 0 },
    ...opts,
  });
  const store = new AnalysisStore({ source, debounceMs: 10, refreshMs: 0 });
  store.start();
  source.start();
  cleanups.push(async () => {
    store.stop();
    await source.stop();
    // Every watch the source opened is closed on the server side too.
    await waitFor('the server to see no open watch', () => demo.watchCount === 0);
  });
  await waitFor('the first analysis', () => store.getResult().ready, { timeoutMs: 10_000 });
  return { demo, source, store, requests };
}

const podNames = (source: LiveSource, ns: string) => source.objectsIn<SlimPod & { metadata: { name: string } }>('Pod', ns).map((p) => p.metadata.name).sort();
const domain = (h: Harness, host: string) => h.store.getResult().result?.domains.find((d) => d.host === host);
const state = (kinds: KindStatus[], kind: string, namespace?: string) => kinds.find((k) => k.kind === kind && k.namespace === namespace);

describe('the live source over the demo cluster', () => {
  it('lists every kind in pages, syncs, and analyses the same result as the engine over the same snapshot', async () => {
    const now = new Date('2025-06-01T00:00:00Z');
    const h = await harness();
    const view = h.store.getResult();
    assert.ok(view.kinds.every((k) => k.state === 'synced'), JSON.stringify(view.kinds));
    assert.deepEqual(
      view.kinds.map((k) => k.kind),
      ['Namespace', 'IngressClass', 'Ingress', 'Service', 'EndpointSlice', 'Pod', 'Event'],
    );
    assert.ok(view.syncedAt);
    assert.equal(view.stale, undefined);
    // Six pods at two per page: the initial list followed continue tokens.
    assert.ok(h.requests.some((r) => r.startsWith('GET /api/v1/pods?') && r.includes('continue=')), h.requests.join('\n'));
    // Ready means every kind has listed; each watch is sent after its list, so it may reach the server
    // after the first analysis is done.
    await waitFor('the Pod watch', () => h.requests.some((r) => r.startsWith('GET /api/v1/pods?') && r.includes('watch=true')));
    assert.ok(h.requests.some((r) => r.includes('/apis/discovery.k8s.io/v1/endpointslices')));
    assert.ok(!h.requests.some((r) => r.includes('/endpoints?')), 'never the v1 Endpoints API');
    assert.deepEqual(podNames(h.source, 'hst-globex'), ['web-7d9f8b6c5d-abcde', 'web-7d9f8b6c5d-fghij']);
    const hosts = view.result!.domains.map((d) => d.host).sort();
    assert.deepEqual(hosts, ['api.acme.example.com', 'app.my-client.junovy.com', 'www.globex.example.com']);
    assert.ok(!view.result!.namespaces.some((n) => n.name === 'kube-system'), 'only prefixed namespaces are analysed');
    // Warning events only, slimmed: no managedFields survive the boundary.
    const events = h.source.snapshot().events;
    assert.deepEqual(events.map((e) => e.reason), ['FailedToUpdateEndpointSlices']);
    assert.ok(!JSON.stringify(h.source.snapshot()).includes('managedFields'));
    assert.ok(!JSON.stringify(h.source.snapshot()).includes('last-applied-configuration'));
    // Incremental store and one-shot engine agree on the same data.
    const store2 = new AnalysisStore({ source: h.source, now: () => now, debounceMs: 0, refreshMs: 0 });
    store2.flush();
    assert.deepEqual(store2.getResult().result, analyze(h.source.snapshot(), { now, namespacePrefix: 'hst-' }));
  });

  it('shows an object changed in the server within a second', async () => {
    const h = await harness();
    assert.equal(domain(h, 'api.acme.example.com')?.health, 'healthy');
    const before = Date.now();
    // The only api Pod stops being ready, as the kubelet and the EndpointSlice controller would report.
    h.demo.patch('Pod', 'hst-acme', 'api-5c6b7d8f9a-abcde', (p) => {
      const st = p.status as { conditions: { type: string; status: string }[]; containerStatuses: { ready: boolean }[] };
      for (const c of st.conditions) if (c.type === 'Ready' || c.type === 'ContainersReady') c.status = 'False';
      st.containerStatuses[0]!.ready = false;
    });
    h.demo.patch('EndpointSlice', 'hst-acme', 'api-x7k2p', (s) => {
      for (const e of s.endpoints as { conditions: { ready: boolean; serving: boolean } }[]) e.conditions = { ready: false, serving: false };
    });
    await waitFor('the domain to go down', () => domain(h, 'api.acme.example.com')?.health === 'down', { timeoutMs: 1000, intervalMs: 5 });
    assert.ok(Date.now() - before <= 1000);
    h.demo.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'late-comer', namespace: 'hst-globex' }, spec: { containers: [] } });
    await waitFor('the new pod in the cache', () => podNames(h.source, 'hst-globex').includes('late-comer'), { timeoutMs: 1000, intervalMs: 5 });
  });

  it('keeps the last data and reports stale while the API server is down, then reconnects and recovers', async () => {
    const h = await harness();
    const podsBefore = podNames(h.source, 'hst-my-client');
    await h.demo.stop();
    const down = await waitFor('every kind to be disconnected', () => {
      const v = h.store.getResult();
      return v.kinds.every((k) => k.state === 'disconnected') ? v : undefined;
    });
    assert.ok(down.stale, 'the view says it is stale');
    assert.match(down.stale.since, /^\d{4}-\d\d-\d\dT/);
    const pod = state(down.kinds, 'Pod');
    assert.ok(pod?.state === 'disconnected' && pod.staleSince >= down.stale.since, 'the view is stale since the first kind went');
    assert.ok(down.result, 'the last good analysis is still served');
    assert.deepEqual(podNames(h.source, 'hst-my-client'), podsBefore, 'the last good data is kept');
    assert.deepEqual(h.source.gaps(), [], 'disconnected after a good list is stale, not a gap');
    // A change while the server is unreachable by the source.
    h.demo.remove('Pod', 'hst-my-client', podsBefore[0]!);
    await h.demo.restart();
    await waitFor('every kind synced again', () => h.store.getResult().kinds.every((k) => k.state === 'synced'), { timeoutMs: 10_000 });
    await waitFor('the change made while down', () => !podNames(h.source, 'hst-my-client').includes(podsBefore[0]!));
    await waitFor('stale to clear', () => h.store.getResult().stale === undefined);
  });

  it('relists after a 410 Gone without duplicates or ghosts', async () => {
    const h = await harness();
    await h.demo.stop();
    await waitFor('the pods cache to notice', () => state(h.source.kinds(), 'Pod')?.state === 'disconnected');
    // While the source cannot see: delete objects, add one, then drop the history it would resume from.
    h.demo.remove('Pod', 'hst-globex', 'web-7d9f8b6c5d-abcde');
    h.demo.remove('Service', 'hst-acme', 'worker');
    h.demo.remove('EndpointSlice', 'hst-acme', 'worker-q9z8w');
    h.demo.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'born-while-away', namespace: 'hst-globex' }, spec: { containers: [] } });
    h.demo.compact();
    await h.demo.restart();
    await waitFor('the relist', () => podNames(h.source, 'hst-globex').includes('born-while-away'), { timeoutMs: 10_000 });
    await waitFor('every kind synced', () => h.source.kinds().every((k) => k.state === 'synced'), { timeoutMs: 10_000 });
    assert.deepEqual(podNames(h.source, 'hst-globex'), ['born-while-away', 'web-7d9f8b6c5d-fghij'], 'the deleted pod is gone, the new one is there once');
    const services = h.source.objectsIn<{ metadata: { name: string } }>('Service', 'hst-acme').map((s) => s.metadata.name);
    assert.deepEqual(services, ['api']);
    const all = h.source.snapshot().pods.map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
    assert.equal(new Set(all).size, all.length, 'no pod is cached twice');
    assert.equal(all.length, h.demo.state.all('Pod').length);
    assert.ok(h.requests.some((r) => r.includes('watch=true')), 'watched');
    await waitFor('the store to forget the deleted Service', () =>
      !h.store.getResult().result?.namespaces.find((n) => n.name === 'hst-acme')?.unreachableServices.includes('worker'),
    );
  });

  it('reports a namespace it may not read as forbidden and a gap, and keeps the others correct', async () => {
    const h = await harness(
      { namespaces: ['hst-my-client', 'hst-acme', 'hst-globex'] },
      { auth: { forbid: [{ namespace: 'hst-acme' }] } },
    );
    const view = h.store.getResult();
    const acme = view.kinds.filter((k) => k.namespace === 'hst-acme');
    assert.deepEqual(acme.map((k) => k.kind), ['Ingress', 'Service', 'EndpointSlice', 'Pod', 'Event']);
    for (const k of acme) {
      assert.equal(k.state, 'forbidden');
      assert.ok(k.state === 'forbidden' && k.namespace === 'hst-acme');
      assert.match(k.state === 'forbidden' ? k.message : '', /is forbidden: User "demo-user" cannot list resource "\w+" in API group "[\w.]*" in the namespace "hst-acme"/);
    }
    assert.ok(view.kinds.filter((k) => k.namespace !== 'hst-acme').every((k) => k.state === 'synced'));
    const gaps = h.source.gaps();
    assert.ok(gaps.length === 5 && gaps.every((g) => g.reason === 'forbidden' && g.namespace === 'hst-acme'));
    assert.ok(h.store.snapshotFor('hst-acme').gaps!.length === 5);
    assert.deepEqual(h.store.snapshotFor('hst-globex').gaps, []);
    // Namespace-scoped requests only: a namespace Role suffices.
    assert.ok(!h.requests.some((r) => /^GET \/api\/v1\/(pods|services|events)\?/.test(r)), 'no cluster-wide list of a namespaced kind');
    assert.ok(!h.requests.some((r) => r.startsWith('GET /api/v1/namespaces?')), 'Namespaces are not listed');
    const result = view.result!;
    assert.equal(result.domains.find((d) => d.host === 'app.my-client.junovy.com')?.health, 'healthy');
    assert.equal(result.domains.find((d) => d.host === 'www.globex.example.com')?.health, 'healthy');
    const acmeSummary = result.namespaces.find((n) => n.name === 'hst-acme');
    assert.ok(acmeSummary, 'the forbidden namespace is still listed');
    assert.equal(acmeSummary.health, 'unknown');
    assert.ok(acmeSummary.gaps.some((g) => g.reason === 'forbidden'));
  });

  it('reads TLS Secrets only when asked, keeping the parsed certificate and never the key', async () => {
    const h = await harness({ withSecrets: true });
    const secrets = h.source.snapshot().tlsSecrets!;
    assert.deepEqual(secrets.map((s: SlimTlsSecret) => s.metadata.name), ['api-tls'], 'only kubernetes.io/tls Secrets');
    assert.ok(h.requests.some((r) => r.includes('/api/v1/secrets?') && r.includes('fieldSelector=type%3Dkubernetes.io%2Ftls')));
    assert.ok(!JSON.stringify(secrets).includes('c2VjcmV0'), 'no data, no key');
    assert.equal(secrets[0]!.parseError, 'tls.crt is empty');
    const without = await harness();
    assert.equal(without.source.snapshot().tlsSecrets, undefined);
    assert.ok(!without.requests.some((r) => r.includes('/secrets')));
  });

  it('says why it is not ready while the API server cannot be reached', async () => {
    const demo = await startDemoServer({ objects: [] });
    const kc = new KubeConfig();
    kc.loadFromString(demo.kubeconfig());
    await demo.close();
    const source = new LiveSource({ kubeConfig: kc, backoff: { initialMs: 20, maxMs: 100, jitter: 0 } });
    const store = new AnalysisStore({ source, debounceMs: 10, refreshMs: 0 });
    store.start();
    source.start();
    cleanups.push(async () => {
      store.stop();
      await source.stop();
    });
    const v = await waitFor('a disconnected state', () => {
      const r = store.getResult();
      return r.kinds.some((k) => k.state === 'disconnected') ? r : undefined;
    });
    assert.equal(v.ready, false);
    assert.equal(v.result, undefined);
    assert.match(v.notReadyReason ?? '', /unreachable/);
    assert.ok(source.gaps().every((g) => g.reason === 'not-synced'));
  });
});

/** An Ingress for `host` on the acme Service api, as a domain the dashboard shows. */
const ghostIngress = (host: string) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: 'ghost', namespace: 'hst-acme' },
  spec: { ingressClassName: 'traefik-external', rules: [{ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'api', port: { number: 80 } } } }] } }] },
});
const hosts = (h: Harness) => (h.store.getResult().result?.domains ?? []).map((d) => d.host).sort();

describe('the live source over a demo cluster that stalls or goes back in time', () => {
  // A short threshold and frequent bookmarks, so the watchdog acts within the test's waits.
  const fast = { stallAfterMs: 300 };
  const chatty = { bookmarkIntervalMs: 20, freshWaitMs: 100 };

  /** Waits until every kind has had a bookmark since the first analysis: their silence means something from then on. */
  async function bookmarked(h: Harness): Promise<string> {
    const ready = h.store.getResult().kinds.map((k) => k.lastEventAt ?? '').reduce((a, b) => (b > a ? b : a));
    await waitFor('a bookmark for every kind', () => h.store.getResult().kinds.every((k) => (k.lastEventAt ?? '') > ready));
    return new Date().toISOString();
  }

  it('resumes a frozen watch stream, flagging its kind stalled meanwhile, and gets what the stream held back', async () => {
    const h = await harness(fast, chatty);
    await bookmarked(h);
    const states: string[] = [];
    const off = h.source.onChange((e: SourceEvent) => e.type === 'state' && states.push(`${e.kind} ${e.state.state}`));
    cleanups.push(off);
    // Only the streams open now freeze, as one dropped connection does; a new watch works.
    h.demo.freezeWatches(60, { openOnly: true });
    h.demo.apply(ghostIngress('held.acme.example.com'));
    await waitFor('the change the frozen stream held back', () => hosts(h).includes('held.acme.example.com'), { timeoutMs: 10_000 });
    assert.ok(states.includes('Ingress stalled') && states.includes('Ingress synced'), states.join(', '));
    assert.ok(h.requests.some((r) => r.includes('/apis/networking.k8s.io/v1/ingresses?') && r.includes('resourceVersionMatch=NotOlderThan')), 'asked the server before resuming');
    await waitFor('every kind synced', () => h.store.getResult().kinds.every((k) => k.state === 'synced'));
    assert.equal(h.store.getResult().stalled, undefined);
  });

  it('shows kinds whose watches all froze as stalled, the data aging from the last bookmark, and recovers when they thaw', async () => {
    const h = await harness(fast, chatty);
    const frozenAt = await bookmarked(h);
    h.demo.freezeWatches(60);
    const view = await waitFor('stalled kinds in the view', () => {
      const v = h.store.getResult();
      return v.stalled ? { ...v, stalled: v.stalled } : undefined;
    });
    assert.ok(view.ready && view.result, 'the last data is still served');
    assert.equal(view.stale, undefined, 'the API server answers: not unreachable');
    assert.ok(view.syncedAt !== undefined && view.syncedAt <= frozenAt, `syncedAt ${view.syncedAt} is from before the freeze (${frozenAt})`);
    assert.ok(view.stalled.since <= frozenAt);
    const info = syncInfo(view, new Date(Date.parse(view.syncedAt) + 1500));
    assert.equal(info.dataAgeMs, 1500, 'the data is as old as its syncedAt');
    const stalled = info.kinds.filter((k) => k.state === 'stalled');
    assert.ok(stalled.length > 0 && stalled.every((k) => k.since !== undefined && k.since === k.lastEventAt && k.message?.startsWith('no event or bookmark since')), JSON.stringify(info.kinds));
    assert.deepEqual(info.stalled, view.stalled);
    assert.deepEqual(view.stalled.kinds, stalled.map((k) => k.kind));
    h.demo.unfreezeWatches();
    await waitFor('every kind synced again', () => {
      const v = h.store.getResult();
      return v.stalled === undefined && v.kinds.every((k) => k.state === 'synced') && (v.syncedAt ?? '') > frozenAt;
    });
  });

  it('drops what a reset to an older snapshot took away: the resumed watch is asked about, refused, and replaced by a list', async () => {
    const h = await harness(fast, chatty);
    h.demo.snapshot();
    h.demo.apply(ghostIngress('ghost.acme.example.com'));
    await waitFor('the ghost domain', () => hosts(h).includes('ghost.acme.example.com'));
    const { from, to } = h.demo.reset();
    assert.ok(Number(to) < Number(from), 'resourceVersions start over below the ones the source holds');
    await waitFor('the ghost domain gone', () => !hosts(h).includes('ghost.acme.example.com'), { timeoutMs: 10_000 });
    assert.deepEqual(hosts(h), ['api.acme.example.com', 'app.my-client.junovy.com', 'www.globex.example.com']);
    assert.ok(h.requests.some((r) => r.includes('resourceVersionMatch=NotOlderThan')));
    // Still live on the new history.
    h.demo.apply(ghostIngress('reborn.acme.example.com'));
    await waitFor('a change after the reset', () => hosts(h).includes('reborn.acme.example.com'));
  });

  it('drops what a reset took away while the API server was down, by listing again when it is back', async () => {
    const h = await harness(fast, chatty);
    h.demo.snapshot();
    h.demo.apply(ghostIngress('ghost.acme.example.com'));
    await waitFor('the ghost domain', () => hosts(h).includes('ghost.acme.example.com'));
    await h.demo.stop();
    await waitFor('the view marked stale', () => h.store.getResult().stale);
    h.demo.reset();
    await h.demo.restart();
    await waitFor('the ghost domain gone', () => !hosts(h).includes('ghost.acme.example.com'), { timeoutMs: 10_000 });
    await waitFor('stale to clear', () => h.store.getResult().stale === undefined);
  });
});
