import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { startDemoServer, type DemoServer } from '../../demo/server';
import { FIXTURE_DUMP } from '../../demo/testing';
import { waitFor } from '../testing/net';
import { analyzeNamespace, combine } from '../chain';
import type { ProbeResults } from '../model/probe';
import { LiveSource } from './live';
import { AnalysisStore, REFRESH_SLICES, syncInfo, type Engine } from './store';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The real engine, recording which namespaces it analysed (and failing on demand). */
function recordingEngine() {
  const analysed: string[] = [];
  const failOn = new Set<string>();
  const engine: Engine = {
    analyzeNamespace(s, ns, opts) {
      if (failOn.has(ns)) throw new Error(`boom in ${ns}`);
      analysed.push(ns);
      return analyzeNamespace(s, ns, opts);
    },
    combine,
  };
  return { engine, analysed, failOn };
}

async function setup(debounceMs = 10) {
  const demo: DemoServer = await startDemoServer({ dumpPath: FIXTURE_DUMP });
  cleanups.push(() => demo.close());
  const kc = new KubeConfig();
  kc.loadFromString(demo.kubeconfig());
  const source = new LiveSource({ kubeConfig: kc, backoff: { initialMs: 20, maxMs: 200, jitter: 0 } });
  const rec = recordingEngine();
  const logs: string[] = [];
  const store = new AnalysisStore({ source, engine: rec.engine, debounceMs, refreshMs: 0, log: (m) => logs.push(m) });
  store.start();
  source.start();
  cleanups.push(async () => {
    store.stop();
    await source.stop();
  });
  await store.ready();
  return { demo, source, store, ...rec, logs };
}

const nextChange = (store: AnalysisStore) =>
  new Promise<void>((resolve) => {
    const off = store.onChange(() => {
      off();
      resolve();
    });
  });

describe('the analysis store', () => {
  it('analyses every prefixed namespace once when the caches first settle', async () => {
    const { analysed, store } = await setup();
    assert.deepEqual([...new Set(analysed)].sort(), ['hst-acme', 'hst-globex', 'hst-my-client']);
    assert.equal(store.analyses, 3);
  });

  it('re-analyses only the namespace an event touched', async () => {
    const { demo, store, analysed } = await setup();
    analysed.length = 0;
    const changed = nextChange(store);
    demo.patch('Service', 'hst-acme', 'worker', { metadata: { labels: { touched: 'yes' } } });
    await changed;
    assert.deepEqual(analysed, ['hst-acme']);
  });

  it('re-analyses every namespace when an IngressClass changes', async () => {
    const { demo, store, analysed } = await setup();
    analysed.length = 0;
    const changed = nextChange(store);
    demo.patch('IngressClass', undefined, 'traefik-external', { metadata: { annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } } });
    await changed;
    assert.deepEqual([...new Set(analysed)].sort(), ['hst-acme', 'hst-globex', 'hst-my-client']);
  });

  it('batches a burst of events into fewer analyses than events', async () => {
    const { demo, store, analysed } = await setup(150);
    analysed.length = 0;
    for (let i = 0; i < 20; i++) {
      demo.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: `burst-${i}`, namespace: 'hst-globex' }, spec: { ports: [{ port: 80 }] } });
    }
    await waitFor('all 20 Services in the analysis', () =>
      (store.getResult().result?.namespaces.find((n) => n.name === 'hst-globex')?.unreachableServices.filter((s) => s.startsWith('burst-')).length ?? 0) === 20,
    );
    assert.ok(analysed.length < 20, `analysed ${analysed.length} times for 20 events`);
    assert.ok(analysed.every((ns) => ns === 'hst-globex'));
  });

  it('feeds probe results to the namespaces serving the host, and only those', async () => {
    const { store, analysed } = await setup();
    // Probing turning on re-analyses every namespace (its links go from "probes off" to "not yet probed").
    store.setProbes({});
    store.flush();
    assert.deepEqual([...new Set(analysed)].sort(), ['hst-acme', 'hst-globex', 'hst-my-client']);
    analysed.length = 0;
    const probes: ProbeResults = {
      'api.acme.example.com': {
        tls: { status: 'error', host: 'api.acme.example.com', target: '203.0.113.10:443', checkedAt: '2025-06-01T00:00:00Z', errorKind: 'refused', error: 'connect ECONNREFUSED' },
      },
    };
    const changed = nextChange(store);
    store.setProbes(probes);
    await changed;
    assert.deepEqual(analysed, ['hst-acme']);
    const d = store.getResult().result!.domains.find((x) => x.host === 'api.acme.example.com')!;
    assert.equal(d.tls.probe?.status, 'error');
    analysed.length = 0;
    store.setProbes(structuredClone(probes));
    store.flush();
    assert.deepEqual(analysed, [], 'the same results again change nothing');
  });

  it('drops a namespace deleted in the cluster and adds one created', async () => {
    const { demo, store } = await setup();
    demo.remove('Namespace', undefined, 'hst-globex');
    await waitFor('hst-globex to leave the result', () => !store.getResult().result!.namespaces.some((n) => n.name === 'hst-globex'));
    assert.ok(!store.getResult().result!.domains.some((d) => d.host === 'www.globex.example.com'));
    demo.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'hst-newcomer' } });
    await waitFor('hst-newcomer in the result', () => store.getResult().result!.namespaces.some((n) => n.name === 'hst-newcomer'));
  });

  it('keeps the last analysis of a namespace the engine fails on', async () => {
    const { demo, store, failOn, logs } = await setup();
    const before = store.getResult().result!.namespaces.find((n) => n.name === 'hst-acme');
    failOn.add('hst-acme');
    const changed = nextChange(store);
    demo.patch('Service', 'hst-acme', 'worker', { metadata: { labels: { touched: 'again' } } });
    await changed;
    assert.deepEqual(store.getResult().result!.namespaces.find((n) => n.name === 'hst-acme'), before);
    assert.ok(logs.some((l) => l.includes('boom in hst-acme')));
  });

  it('refreshes every namespace periodically, a slice at a time rather than all in one analysis', async () => {
    const demo = await startDemoServer({ dumpPath: FIXTURE_DUMP });
    cleanups.push(() => demo.close());
    const kc = new KubeConfig();
    kc.loadFromString(demo.kubeconfig());
    const source = new LiveSource({ kubeConfig: kc });
    const { engine, analysed } = recordingEngine();
    const perFlush: number[] = [];
    let seen = 0;
    const counting: Engine = {
      analyzeNamespace: engine.analyzeNamespace,
      combine(parts, opts) {
        perFlush.push(analysed.length - seen);
        seen = analysed.length;
        return combine(parts, opts);
      },
    };
    // Three namespaces, so one per slice; a slice every 20 ms.
    const store = new AnalysisStore({ source, engine: counting, debounceMs: 0, refreshMs: 20 * REFRESH_SLICES });
    store.start();
    source.start();
    cleanups.push(async () => {
      store.stop();
      await source.stop();
    });
    await store.ready();
    analysed.length = seen = 0;
    perFlush.length = 0;
    await waitFor('every namespace refreshed', () => new Set(analysed).size === 3);
    assert.deepEqual([...new Set(analysed)].sort(), ['hst-acme', 'hst-globex', 'hst-my-client']);
    assert.ok(perFlush.every((n) => n <= 1), `namespaces analysed per refresh: ${perFlush.join(', ')}`);
  });

  it('summarises the sync state in the shape the JSON API serves', async () => {
    const { store } = await setup();
    const info = syncInfo(store.getResult());
    assert.equal(info.ready, true);
    assert.ok(info.syncedAt);
    assert.ok(info.kinds.every((k) => k.state === 'synced' && typeof k.since === 'string'));
    assert.deepEqual(info.kinds.map((k) => k.kind), ['Namespace', 'IngressClass', 'Ingress', 'Service', 'EndpointSlice', 'Pod', 'Event']);
  });
});
