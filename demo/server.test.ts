import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CoreV1Api, DiscoveryV1Api, KubeConfig, KubernetesObjectApi, NetworkingV1Api, Watch } from '@kubernetes/client-node';
import { startDemoServer, type DemoServer } from './server';
import { waitFor } from '../lib/testing/net';
import { FIXTURE_DUMP, openWatch } from './testing';

type List = { kind: string; apiVersion: string; metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number }; items: Obj[] };
type Obj = { kind?: string; metadata: { name: string; namespace?: string; resourceVersion: string; labels?: Record<string, string> }; [k: string]: unknown };

let demo: DemoServer;
const get = async (path: string, headers: Record<string, string> = {}) => {
  const res = await fetch(demo.url + path, { headers });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
const list = async (path: string) => {
  const r = await get(path);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body as unknown as List;
};
const names = (l: List) => l.items.map((i) => `${i.metadata.namespace ? i.metadata.namespace + '/' : ''}${i.metadata.name}`);

describe('the demo API server', () => {
  before(async () => {
    demo = await startDemoServer({ dumpPath: FIXTURE_DUMP, bookmarkIntervalMs: 50 });
  });
  after(async () => {
    await demo.close();
  });

  it('listens on 127.0.0.1 and answers discovery as client-node and kubectl expect', async () => {
    assert.match(demo.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal((await get('/version')).body.major, '1');
    assert.deepEqual((await get('/api')).body.versions, ['v1']);
    const groups = ((await get('/apis')).body.groups as { name: string }[]).map((g) => g.name);
    assert.ok(groups.includes('networking.k8s.io') && groups.includes('discovery.k8s.io'));
    const core = (await get('/api/v1')).body.resources as { name: string; namespaced: boolean; kind: string }[];
    assert.deepEqual(
      core.map((r) => r.name),
      ['namespaces', 'pods', 'services', 'events', 'secrets'],
    );
    const disc = (await get('/apis/discovery.k8s.io/v1')).body.resources as { name: string; kind: string }[];
    assert.deepEqual(disc.map((r) => `${r.name}:${r.kind}`), ['endpointslices:EndpointSlice']);
    const net = (await get('/apis/networking.k8s.io/v1')).body.resources as { name: string; namespaced: boolean }[];
    assert.deepEqual(net.map((r) => `${r.name}:${r.namespaced}`), ['ingressclasses:false', 'ingresses:true']);
    assert.equal((await get('/apis/apps')).body.kind, 'APIGroup');
    assert.equal((await get('/apis/nope.example.com/v1')).status, 404);
  });

  it("serves cert-manager's groups as a cluster with its CRDs: the request chain's kinds are discovered and listed", async () => {
    const groups = ((await get('/apis')).body.groups as { name: string }[]).map((g) => g.name);
    assert.ok(groups.includes('cert-manager.io') && groups.includes('acme.cert-manager.io'));
    const cm = (await get('/apis/cert-manager.io/v1')).body.resources as { name: string; namespaced: boolean }[];
    assert.deepEqual(cm.map((r) => `${r.name}:${r.namespaced}`), ['certificates:true', 'certificaterequests:true', 'issuers:true', 'clusterissuers:false']);
    const acme = (await get('/apis/acme.cert-manager.io/v1')).body.resources as { name: string; kind: string }[];
    assert.deepEqual(acme.map((r) => `${r.name}:${r.kind}`), ['orders:Order', 'challenges:Challenge']);
    const orders = await list('/apis/acme.cert-manager.io/v1/orders');
    assert.equal(orders.kind, 'OrderList');
    assert.equal((await list('/apis/cert-manager.io/v1/clusterissuers')).kind, 'ClusterIssuerList');
  });

  it('started without an API group, leaves it out of discovery and answers 404 under it, as a cluster without those CRDs', async () => {
    const bare = await startDemoServer({ dumpPath: FIXTURE_DUMP, uninstalledGroups: ['acme.cert-manager.io'] });
    try {
      const r = await fetch(`${bare.url}/apis`);
      const groups = ((await r.json()) as { groups: { name: string }[] }).groups.map((g) => g.name);
      assert.ok(groups.includes('cert-manager.io'));
      assert.ok(!groups.includes('acme.cert-manager.io'));
      assert.equal((await fetch(`${bare.url}/apis/acme.cert-manager.io/v1`)).status, 404);
      assert.equal((await fetch(`${bare.url}/apis/acme.cert-manager.io/v1/challenges`)).status, 404);
      assert.equal((await fetch(`${bare.url}/apis/cert-manager.io/v1/certificates`)).status, 200);
    } finally {
      await bare.close();
    }
  });

  it('lists every kind cluster-wide and per namespace as typed lists with a resourceVersion', async () => {
    const pods = await list('/api/v1/pods');
    assert.equal(pods.kind, 'PodList');
    assert.equal(pods.apiVersion, 'v1');
    assert.match(pods.metadata.resourceVersion, /^\d+$/);
    assert.equal(pods.items.length, 6);
    assert.ok(pods.items.every((p) => p.kind === 'Pod' && typeof p.metadata.resourceVersion === 'string'));
    const acme = await list('/api/v1/namespaces/hst-acme/services');
    assert.deepEqual(names(acme), ['hst-acme/api', 'hst-acme/worker']);
    const slices = await list('/apis/discovery.k8s.io/v1/namespaces/hst-my-client/endpointslices');
    assert.equal(slices.kind, 'EndpointSliceList');
    assert.equal(slices.apiVersion, 'discovery.k8s.io/v1');
    assert.deepEqual(names(await list('/apis/networking.k8s.io/v1/ingresses')), ['hst-acme/api', 'hst-globex/web', 'hst-my-client/web']);
    assert.deepEqual(names(await list('/apis/networking.k8s.io/v1/ingressclasses')), ['traefik-external']);
    assert.deepEqual(names(await list('/api/v1/namespaces')), ['hst-acme', 'hst-globex', 'hst-my-client', 'kube-system']);
    assert.equal((await list('/api/v1/events')).items.length, 2);
  });

  it('gets one object by name and answers an unknown one with a NotFound Status', async () => {
    const r = await get('/api/v1/namespaces/hst-acme/services/worker');
    assert.equal(r.status, 200);
    assert.equal((r.body.metadata as Obj['metadata']).name, 'worker');
    const ns = await get('/api/v1/namespaces/hst-acme');
    assert.equal(ns.body.kind, 'Namespace');
    const missing = await get('/api/v1/namespaces/hst-acme/pods/nope');
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.body, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'pods "nope" not found',
      reason: 'NotFound',
      details: { name: 'nope', kind: 'pods' },
      code: 404,
    });
    assert.equal((await get('/api/v1/pods/some-pod')).status, 404, 'a namespaced kind has no cluster-scoped get');
  });

  it('filters lists with every label selector operator', async () => {
    const sel = async (s: string) => names(await list(`/api/v1/pods?labelSelector=${encodeURIComponent(s)}`));
    assert.deepEqual(await sel('app=api'), ['hst-acme/api-5c6b7d8f9a-abcde']);
    assert.deepEqual(await sel('app==api'), ['hst-acme/api-5c6b7d8f9a-abcde']);
    assert.equal((await sel('app!=web')).length, 2, '!= also matches pods without the label');
    assert.equal((await sel('app in (web, api)')).length, 5);
    assert.deepEqual(await sel('app notin (web,api)'), ['kube-system/coredns-5d78c9869d-abcde']);
    assert.deepEqual(await sel('k8s-app'), ['kube-system/coredns-5d78c9869d-abcde']);
    assert.equal((await sel('!k8s-app')).length, 5);
    assert.deepEqual(await sel('app=web,pod-template-hash=7d9f8b6c5d,!k8s-app').then((n) => n.length), 4);
    const bad = await get(`/api/v1/pods?labelSelector=${encodeURIComponent('app in (web')}`);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.reason, 'BadRequest');
  });

  it('filters lists with field selectors and rejects fields the kind does not support', async () => {
    const fs = async (path: string, s: string) => names(await list(`${path}?fieldSelector=${encodeURIComponent(s)}`));
    assert.deepEqual(await fs('/api/v1/events', 'type=Warning'), ['hst-acme/worker.17f3a2b1c0d4e5f6']);
    assert.deepEqual(await fs('/api/v1/events', 'type!=Warning'), ['hst-my-client/web.17f3a2b1c0d4e5f7']);
    assert.deepEqual(await fs('/api/v1/events', 'involvedObject.kind=Service,involvedObject.name=worker'), ['hst-acme/worker.17f3a2b1c0d4e5f6']);
    assert.deepEqual(await fs('/api/v1/pods', 'metadata.namespace=hst-acme'), ['hst-acme/api-5c6b7d8f9a-abcde']);
    assert.deepEqual(await fs('/api/v1/namespaces', 'metadata.name=hst-acme'), ['hst-acme']);
    assert.deepEqual(await fs('/api/v1/secrets', 'type=kubernetes.io/tls'), ['hst-acme/api-tls']);
    const bad = await get(`/api/v1/services?fieldSelector=${encodeURIComponent('spec.nope=x')}`);
    assert.equal(bad.status, 400);
    assert.match(String(bad.body.message), /"spec.nope" is not a known field selector/);
  });

  it('paginates with limit and continue over a consistent snapshot', async () => {
    const first = await list('/api/v1/pods?limit=2');
    assert.equal(first.items.length, 2);
    assert.ok(first.metadata.continue);
    assert.equal(first.metadata.remainingItemCount, 4);
    // Changes after the first page must not show in the later pages of the same list.
    const victim = (await list('/api/v1/pods')).items.at(-1)!;
    demo.remove('Pod', victim.metadata.namespace, victim.metadata.name);
    demo.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'zz-late', namespace: 'kube-system' }, spec: { containers: [] } });
    const seen = [...first.items];
    let token: string | undefined = first.metadata.continue;
    while (token) {
      const page = await list(`/api/v1/pods?limit=2&continue=${encodeURIComponent(token)}`);
      assert.equal(page.metadata.resourceVersion, first.metadata.resourceVersion, 'every page reads the first page revision');
      seen.push(...page.items);
      token = page.metadata.continue;
    }
    assert.equal(seen.length, 6);
    assert.ok(seen.some((p) => p.metadata.name === victim.metadata.name), 'the deleted pod is still in the snapshot');
    assert.ok(!seen.some((p) => p.metadata.name === 'zz-late'));
    const fresh = await list('/api/v1/pods');
    assert.ok(fresh.items.some((p) => p.metadata.name === 'zz-late'));
    assert.ok(!fresh.items.some((p) => p.metadata.name === victim.metadata.name));
    demo.remove('Pod', 'kube-system', 'zz-late');
    demo.apply({ ...victim, metadata: { ...victim.metadata } } as never);
  });

  it('answers a continue token older than the kept history with 410 Expired and a token to go on with', async () => {
    const first = await list('/api/v1/pods?limit=1');
    demo.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'churn' } });
    demo.compact();
    const r = await get(`/api/v1/pods?limit=1&continue=${encodeURIComponent(first.metadata.continue!)}`);
    assert.equal(r.status, 410);
    assert.equal(r.body.kind, 'Status');
    assert.equal(r.body.reason, 'Expired');
    assert.equal(r.body.code, 410);
    const next = (r.body.metadata as { continue?: string }).continue;
    assert.ok(next, 'the Status carries an inconsistent continue token');
    const rest = await list(`/api/v1/pods?limit=100&continue=${encodeURIComponent(next)}`);
    assert.equal(rest.items.length, 5);
    assert.equal((await get('/api/v1/pods?limit=1&continue=garbage')).status, 400);
    demo.remove('Namespace', undefined, 'churn');
  });

  it('streams ADDED, MODIFIED and DELETED events from a resourceVersion, in order', async () => {
    const start = await list('/api/v1/namespaces/hst-acme/services');
    const w = await openWatch(`${demo.url}/api/v1/namespaces/hst-acme/services?watch=1&resourceVersion=${start.metadata.resourceVersion}`);
    assert.equal(w.status, 200);
    demo.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'cache', namespace: 'hst-acme' }, spec: { ports: [{ port: 6379 }] } });
    demo.patch('Service', 'hst-acme', 'cache', { metadata: { labels: { tier: 'cache' } } });
    demo.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'other', namespace: 'hst-globex' }, spec: {} });
    demo.remove('Service', 'hst-acme', 'cache');
    await waitFor('three events', () => w.events.length >= 3);
    w.close();
    assert.deepEqual(
      w.events.map((e) => `${e.type} ${e.object.metadata?.name}`),
      ['ADDED cache', 'MODIFIED cache', 'DELETED cache'],
    );
    const rvs = w.events.map((e) => Number(e.object.metadata!.resourceVersion));
    assert.ok(rvs[0]! < rvs[1]! && rvs[1]! < rvs[2]!, 'each change has a newer resourceVersion, the deletion too');
    assert.equal(w.events[1]!.object.metadata && (w.events[1]!.object.metadata as Obj['metadata']).labels?.tier, 'cache');
    demo.remove('Service', 'hst-globex', 'other');
  });

  it('replays history for a watch started in the past and sends the current state for resourceVersion 0', async () => {
    const rv = demo.state.resourceVersion;
    demo.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'replayed', namespace: 'hst-globex' }, spec: {} });
    const w = await openWatch(`${demo.url}/api/v1/pods?watch=true&resourceVersion=${rv}`);
    await waitFor('the replayed ADDED', () => w.events.find((e) => e.object.metadata?.name === 'replayed'));
    w.close();
    const w0 = await openWatch(`${demo.url}/api/v1/namespaces/hst-globex/pods?watch=1&resourceVersion=0`);
    await waitFor('synthetic ADDED events for the current pods', () => w0.events.length >= 3);
    w0.close();
    assert.ok(w0.events.every((e) => e.type === 'ADDED'));
    demo.remove('Pod', 'hst-globex', 'replayed');
  });

  it('turns an object leaving a watch selector into DELETED and entering it into ADDED', async () => {
    const rv = demo.state.resourceVersion;
    const w = await openWatch(`${demo.url}/api/v1/pods?watch=1&resourceVersion=${rv}&labelSelector=phase%3Dcanary`);
    demo.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'canary', namespace: 'hst-acme', labels: { phase: 'canary' } }, spec: {} });
    demo.patch('Pod', 'hst-acme', 'canary', { metadata: { labels: { phase: 'stable' } } });
    demo.patch('Pod', 'hst-acme', 'canary', { metadata: { labels: { phase: 'canary' } } });
    await waitFor('three events', () => w.events.length >= 3);
    w.close();
    assert.deepEqual(w.events.map((e) => e.type), ['ADDED', 'DELETED', 'ADDED']);
    demo.remove('Pod', 'hst-acme', 'canary');
  });

  it('sends BOOKMARK events carrying the current resourceVersion when asked', async () => {
    const w = await openWatch(`${demo.url}/api/v1/pods?watch=1&resourceVersion=${demo.state.resourceVersion}&allowWatchBookmarks=true`);
    const b = await waitFor('a bookmark', () => w.events.find((e) => e.type === 'BOOKMARK'));
    w.close();
    assert.equal(b.object.kind, 'Pod');
    assert.equal(b.object.metadata?.resourceVersion, demo.state.resourceVersion);
  });

  it('answers a watch from a too-old resourceVersion with an ERROR event carrying 410 Expired', async () => {
    const old = (await list('/api/v1/pods')).metadata.resourceVersion;
    demo.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'churn', namespace: 'hst-acme' }, spec: {} });
    demo.compact();
    const w = await openWatch(`${demo.url}/api/v1/pods?watch=1&resourceVersion=${old}`);
    await w.ended;
    assert.equal(w.status, 200);
    assert.equal(w.events.length, 1);
    assert.equal(w.events[0]!.type, 'ERROR');
    assert.equal(w.events[0]!.object.kind, 'Status');
    assert.equal(w.events[0]!.object.code, 410);
    assert.equal(w.events[0]!.object.reason, 'Expired');
    demo.remove('Pod', 'hst-acme', 'churn');
  });

  it('keeps only historyLimit changes for watches to replay', async () => {
    const small = await startDemoServer({ objects: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'seed' } }], historyLimit: 3 });
    try {
      const rv = small.state.resourceVersion;
      for (let i = 0; i < 5; i++) small.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `ns-${i}` } });
      const w = await openWatch(`${small.url}/api/v1/namespaces?watch=1&resourceVersion=${rv}`);
      await w.ended;
      assert.equal(w.events[0]!.object.code, 410);
      const recent = await openWatch(`${small.url}/api/v1/namespaces?watch=1&resourceVersion=${Number(small.state.resourceVersion) - 2}`);
      await waitFor('two replayed events', () => recent.events.length >= 2);
      recent.close();
    } finally {
      await small.close();
    }
  });

  it('ends a watch after timeoutSeconds', async () => {
    const w = await openWatch(`${demo.url}/api/v1/namespaces?watch=1&resourceVersion=${demo.state.resourceVersion}&timeoutSeconds=1`);
    await w.ended;
    assert.equal(w.status, 200);
  });

  it('returns a real-shaped 403 for a forbidden namespace and serves the others', async () => {
    const undo = demo.forbid({ kind: 'Pod', namespace: 'hst-acme', verb: ['list', 'watch'] });
    try {
      const r = await get('/api/v1/namespaces/hst-acme/pods', { Authorization: 'Bearer t0k' });
      assert.equal(r.status, 403);
      assert.deepEqual(r.body, {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'pods is forbidden: User "demo-user" cannot list resource "pods" in API group "" in the namespace "hst-acme"',
        reason: 'Forbidden',
        details: { kind: 'pods' },
        code: 403,
      });
      assert.equal((await get('/api/v1/namespaces/hst-acme/pods?watch=1')).status, 403);
      assert.equal((await get('/api/v1/namespaces/hst-globex/pods')).status, 200);
      assert.equal((await get('/api/v1/pods')).status, 200, 'a namespace rule does not touch cluster-scope requests');
    } finally {
      undo();
    }
    const undo2 = demo.forbid({ kind: 'ingresses', namespace: null, token: 'restricted' });
    try {
      const r = await get('/apis/networking.k8s.io/v1/ingresses', { Authorization: 'Bearer restricted' });
      assert.equal(r.status, 403);
      assert.match(String(r.body.message), /cannot list resource "ingresses" in API group "networking.k8s.io" at the cluster scope$/);
      assert.equal((await get('/apis/networking.k8s.io/v1/ingresses', { Authorization: 'Bearer other' })).status, 200);
    } finally {
      undo2();
    }
    assert.equal((await get('/api/v1/namespaces/hst-acme/pods')).status, 200);
  });

  it('requires a token when told to, with a 401 Status', async () => {
    const strict = await startDemoServer({ objects: [], auth: { requireToken: true } });
    try {
      const r = await fetch(`${strict.url}/api/v1/pods`);
      assert.equal(r.status, 401);
      assert.equal(((await r.json()) as { reason: string }).reason, 'Unauthorized');
      assert.equal((await fetch(`${strict.url}/api/v1/pods`, { headers: { Authorization: 'Bearer x' } })).status, 200);
    } finally {
      await strict.close();
    }
  });

  it('changes the cluster through the admin endpoints, for tests in another process', async () => {
    const rv = demo.state.resourceVersion;
    const w = await openWatch(`${demo.url}/api/v1/namespaces/hst-globex/services?watch=1&resourceVersion=${rv}`);
    const post = (path: string, body: string) => fetch(`${demo.url}/demo/v1/${path}`, { method: 'POST', body }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));
    const applied = await post('apply', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: admin-made\n  namespace: hst-globex\nspec:\n  ports:\n  - port: 80\n');
    assert.equal(applied.status, 200);
    const patched = await post('patch', JSON.stringify({ kind: 'Service', namespace: 'hst-globex', name: 'admin-made', patch: { spec: { type: 'NodePort' } } }));
    assert.equal(patched.status, 200);
    assert.equal((await post('delete', JSON.stringify({ kind: 'Service', namespace: 'hst-globex', name: 'admin-made' }))).status, 200);
    assert.equal((await post('delete', JSON.stringify({ kind: 'Service', namespace: 'hst-globex', name: 'admin-made' }))).status, 404);
    assert.equal((await post('forbid', JSON.stringify({ kind: 'Service', namespace: 'hst-globex' }))).status, 200);
    assert.equal((await get('/api/v1/namespaces/hst-globex/services')).status, 403);
    assert.equal((await post('allow', '')).status, 200);
    assert.equal((await get('/api/v1/namespaces/hst-globex/services')).status, 200);
    await waitFor('three events', () => w.events.length >= 3);
    w.close();
    assert.deepEqual(w.events.map((e) => e.type), ['ADDED', 'MODIFIED', 'DELETED']);
    const state = await get('/demo/v1/state');
    assert.equal(state.body.resourceVersion, demo.state.resourceVersion);
  });

  it('refuses writes over the Kubernetes API: the demo cluster is read-only there', async () => {
    const r = await fetch(`${demo.url}/api/v1/namespaces/hst-acme/pods`, { method: 'POST', body: '{}' });
    assert.equal(r.status, 405);
  });

  it('serves client-node typed lists, KubernetesObjectApi and Watch through a kubeconfig it wrote', async () => {
    const kc = new KubeConfig();
    kc.loadFromString(demo.kubeconfig({ token: 'client-node-test' }));
    const core = kc.makeApiClient(CoreV1Api);
    const pods = await core.listNamespacedPod({ namespace: 'hst-my-client', labelSelector: 'app=web', limit: 1 });
    assert.equal(pods.items.length, 1);
    assert.ok(pods.metadata?._continue);
    const rest = await core.listNamespacedPod({ namespace: 'hst-my-client', labelSelector: 'app=web', limit: 1, _continue: pods.metadata!._continue });
    assert.equal(rest.items.length, 1);
    assert.notEqual(rest.items[0]!.metadata!.name, pods.items[0]!.metadata!.name);
    const slices = await kc.makeApiClient(DiscoveryV1Api).listEndpointSliceForAllNamespaces({});
    assert.equal(slices.items.length, 4);
    const ing = await kc.makeApiClient(NetworkingV1Api).readNamespacedIngress({ namespace: 'hst-acme', name: 'api' });
    assert.equal(ing.spec?.rules?.[0]?.host, 'api.acme.example.com');
    const generic = await KubernetesObjectApi.makeApiClient(kc).list('discovery.k8s.io/v1', 'EndpointSlice', 'hst-acme');
    assert.equal(generic.items.length, 2);
    const forbidden = demo.forbid({ kind: 'Service', namespace: 'hst-acme' });
    await assert.rejects(core.listNamespacedService({ namespace: 'hst-acme' }), (e: { code?: number }) => e.code === 403);
    forbidden();

    const seen: string[] = [];
    let doneErr: unknown = 'not yet';
    const req = await new Watch(kc).watch(
      '/api/v1/namespaces/hst-acme/pods',
      { resourceVersion: demo.state.resourceVersion, allowWatchBookmarks: true },
      (type, obj: { metadata?: { name?: string } }) => seen.push(`${type} ${obj.metadata?.name ?? ''}`),
      (err) => (doneErr = err),
    );
    demo.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'via-watch', namespace: 'hst-acme' }, spec: {} });
    demo.remove('Pod', 'hst-acme', 'via-watch');
    await waitFor('ADDED and DELETED through client-node Watch', () => seen.includes('ADDED via-watch') && seen.includes('DELETED via-watch'));
    req.abort();
    await waitFor('the watch done callback', () => doneErr !== 'not yet');
  });

  it('stops and restarts on the same port keeping its data, cutting open watches', async () => {
    const port = demo.port;
    const w = await openWatch(`${demo.url}/api/v1/pods?watch=1&resourceVersion=${demo.state.resourceVersion}`);
    await demo.stop();
    await w.ended;
    await assert.rejects(fetch(`${demo.url}/api/v1/pods`));
    demo.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'while-down', namespace: 'hst-acme' }, spec: {} });
    await demo.restart();
    assert.equal(demo.port, port);
    const pods = await list('/api/v1/namespaces/hst-acme/pods');
    assert.ok(pods.items.some((p) => p.metadata.name === 'while-down'));
    demo.remove('Pod', 'hst-acme', 'while-down');
    assert.equal(demo.watchCount, 0, 'no watch is left registered');
  });
});

describe('the outage admin action', () => {
  it('takes the API server away for the given seconds and brings it back on the same port with its data', async () => {
    const d = await startDemoServer({ dumpPath: FIXTURE_DUMP });
    try {
      const before = (await (await fetch(`${d.url}/api/v1/pods`)).json()) as { items: unknown[] };
      const res = await fetch(`${d.url}/demo/v1/outage`, { method: 'POST', body: JSON.stringify({ seconds: 1 }) });
      assert.equal(res.status, 202);
      await waitFor('the server to go away', async () => {
        try {
          await fetch(`${d.url}/version`);
          return false;
        } catch {
          return true;
        }
      });
      await waitFor('the server to come back', async () => {
        try {
          return (await fetch(`${d.url}/version`)).ok;
        } catch {
          return false;
        }
      });
      const after = (await (await fetch(`${d.url}/api/v1/pods`)).json()) as { items: unknown[] };
      assert.equal(after.items.length, before.items.length);
      const bad = await fetch(`${d.url}/demo/v1/outage`, { method: 'POST', body: JSON.stringify({ seconds: 0 }) });
      assert.equal(bad.status, 400);
    } finally {
      await d.close();
    }
  });
});

describe('the hold-lists admin action', () => {
  const post = (d: DemoServer, path: string, body: unknown) =>
    fetch(`${d.url}/demo/v1/${path}`, { method: 'POST', body: JSON.stringify(body) }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));
  /** A request whose settling can be checked without waiting for it. */
  const track = <T>(p: Promise<T>) => {
    const t = { settled: false, value: p };
    void p.then(
      () => (t.settled = true),
      () => (t.settled = true),
    );
    return t;
  };

  it('answers lists only when the hold is released, with the data of that moment; gets and watches are not held', async () => {
    const d = await startDemoServer({ dumpPath: FIXTURE_DUMP });
    try {
      assert.equal((await post(d, 'hold-lists', { seconds: 30 })).status, 202);
      const held = track(fetch(`${d.url}/api/v1/namespaces/hst-acme/services`).then(async (r) => ({ status: r.status, body: (await r.json()) as List })));
      // Requests sent after it are answered: the server is up, only the list waits.
      assert.equal((await fetch(`${d.url}/api/v1/namespaces/hst-acme/services/api`)).status, 200);
      const w = await openWatch(`${d.url}/api/v1/namespaces/hst-acme/services?watch=1&resourceVersion=0`);
      await waitFor('the watch to send the current objects', () => w.events.length >= 2);
      w.close();
      const state = (await (await fetch(`${d.url}/demo/v1/state`)).json()) as { listHolds: { until: string }[] };
      assert.equal(state.listHolds.length, 1);
      assert.equal(held.settled, false, 'the list is still held');

      d.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'made-during-hold', namespace: 'hst-acme' }, spec: { ports: [{ port: 80 }] } });
      assert.equal((await post(d, 'release-lists', {})).status, 200);
      const r = await held.value;
      assert.equal(r.status, 200);
      assert.deepEqual(names(r.body), ['hst-acme/api', 'hst-acme/made-during-hold', 'hst-acme/worker']);
      assert.equal((await fetch(`${d.url}/api/v1/namespaces/hst-acme/services`)).status, 200, 'no hold is left');
    } finally {
      await d.close();
    }
  });

  it('holds only the lists of the given token, and ends by itself', async () => {
    const d = await startDemoServer({ dumpPath: FIXTURE_DUMP });
    try {
      assert.deepEqual((await post(d, 'hold-lists', { seconds: 1, token: 'slow' })).body, { holdForSeconds: 1, token: 'slow' });
      const started = Date.now();
      const held = track(fetch(`${d.url}/api/v1/pods`, { headers: { Authorization: 'Bearer slow' } }));
      assert.equal((await fetch(`${d.url}/api/v1/pods`, { headers: { Authorization: 'Bearer other' } })).status, 200);
      assert.equal((await fetch(`${d.url}/api/v1/pods`)).status, 200);
      assert.equal(held.settled, false);
      assert.equal((await held.value).status, 200);
      assert.ok(Date.now() - started >= 900, 'answered when the hold ended, not before');
    } finally {
      await d.close();
    }
  });

  it('refuses a hold that would not end by itself within a minute', async () => {
    const d = await startDemoServer({ objects: [] });
    try {
      for (const seconds of [0, 61, 'x']) assert.equal((await post(d, 'hold-lists', { seconds })).status, 400, String(seconds));
      assert.equal((await post(d, 'hold-lists', { seconds: 5, token: 7 })).status, 400);
    } finally {
      await d.close();
    }
  });

  it('writes a kubeconfig for another client, with its own token', async () => {
    const d = await startDemoServer({ objects: [] });
    try {
      const res = await fetch(`${d.url}/demo/v1/kubeconfig?token=second`);
      assert.equal(res.status, 200);
      assert.equal(await res.text(), d.kubeconfig({ token: 'second' }));
    } finally {
      await d.close();
    }
  });
});
