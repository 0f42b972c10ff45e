// Readable diffs: each kind of line from a change that triggers it, and the near misses that record nothing.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CacheChange } from '../cluster/reducer';
import type { SlimCertManagerCertificate, SlimEndpointSlice, SlimIngress, SlimPod, SlimService } from '../model/k8s';
import { describeChange, diffCertificate, diffIngress, diffService, helmOf, PodTracker, SliceTracker } from './diff';

const ing = (patch: Partial<NonNullable<SlimIngress['spec']>> = {}, annotations?: Record<string, string>): SlimIngress => ({
  metadata: { name: 'blog', namespace: 'hst-a', resourceVersion: '1', ...(annotations ? { annotations } : {}) },
  spec: {
    ingressClassName: 'traefik',
    rules: [{ host: 'example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'blog', port: { number: 80 } } } }] } }],
    tls: [{ hosts: ['example.com'], secretName: 'a' }],
    ...patch,
  },
});

describe('Ingress diffs', () => {
  test('backend service, port, class, rules added and removed, tls secret and hosts, default backend, kept annotations', () => {
    const base = ing();
    const rule = (svc: string, port: number | string, host = 'example.com', path = '/') => ({
      host,
      http: { paths: [{ path, pathType: 'Prefix', backend: { service: { name: svc, port: typeof port === 'number' ? { number: port } : { name: port } } } }] },
    });
    assert.deepEqual(diffIngress(base, ing({ rules: [rule('blog-v2', 80)] })), ['backend service blog -> blog-v2 (example.com/)']);
    assert.deepEqual(diffIngress(base, ing({ rules: [rule('blog', 8080)] })), ['backend port 80 -> 8080 (example.com/)']);
    assert.deepEqual(diffIngress(base, ing({ ingressClassName: 'nginx' })), ['class traefik -> nginx']);
    assert.deepEqual(diffIngress(base, ing({ rules: [rule('blog', 80), rule('api', 80, 'shop.example.com', '/api')] })), ['rule added shop.example.com/api -> api:80']);
    assert.deepEqual(diffIngress(base, ing({ rules: [] })), ['rule removed example.com/ -> blog:80']);
    assert.deepEqual(diffIngress(base, ing({ tls: [{ hosts: ['example.com'], secretName: 'b' }] })), ['tls secret a -> b']);
    assert.deepEqual(diffIngress(base, ing({ tls: [{ hosts: ['example.com', 'eu.example.com'], secretName: 'a' }] })), ['tls hosts example.com -> example.com, eu.example.com']);
    assert.deepEqual(diffIngress(base, ing({ tls: [] })), ['tls removed secret a for example.com']);
    assert.deepEqual(diffIngress(base, ing({ defaultBackend: { service: { name: 'maintenance', port: { number: 80 } } } })), ['default backend (none) -> maintenance:80']);
    assert.deepEqual(
      diffIngress(base, ing({}, { 'traefik.ingress.kubernetes.io/router.entrypoints': 'websecure' })),
      ['traefik router.entrypoints (none) -> websecure'],
    );
  });

  test('near miss: status and resourceVersion only record nothing', () => {
    const b = { ...ing(), metadata: { ...ing().metadata, resourceVersion: '2' }, status: { loadBalancer: { ingress: [{ ip: '10.0.0.9' }] } } };
    assert.deepEqual(diffIngress(ing(), b), []);
    assert.equal(describeChange('Ingress', { type: 'modified', namespace: 'hst-a', name: 'blog', object: b, previous: ing() }), undefined);
  });

  test('added and deleted Ingresses get a one-line summary', () => {
    const added = describeChange('Ingress', { type: 'added', namespace: 'hst-a', name: 'blog', object: ing() });
    assert.deepEqual(added, { action: 'added', lines: ['added: class traefik, example.com/ -> blog:80'] });
    const gone = describeChange('Ingress', { type: 'deleted', namespace: 'hst-a', name: 'blog', object: ing(), previous: ing() });
    assert.deepEqual(gone, { action: 'deleted', lines: ['deleted: class traefik, example.com/ -> blog:80'] });
  });
});

const svc = (spec: SlimService['spec'], labels?: Record<string, string>): SlimService => ({ metadata: { name: 'booking', namespace: 'hst-a', resourceVersion: '1', labels }, spec });

describe('Service diffs', () => {
  const base = svc({ type: 'ClusterIP', selector: { app: 'booking' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] });
  test('selector, targetPort, type, port added and removed, renamed port', () => {
    assert.deepEqual(diffService(base, svc({ type: 'ClusterIP', selector: { app: 'bookng' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] })), ['selector app=booking -> app=bookng']);
    assert.deepEqual(diffService(base, svc({ type: 'ClusterIP', selector: { app: 'booking' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] })), ['targetPort 8080 -> http']);
    assert.deepEqual(diffService(base, svc({ type: 'NodePort', selector: { app: 'booking' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] })), ['type ClusterIP -> NodePort']);
    assert.deepEqual(
      diffService(base, svc({ type: 'ClusterIP', selector: { app: 'booking' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'metrics', port: 9090 }] })),
      ['port added 9090/metrics -> 9090'],
    );
    assert.deepEqual(diffService(base, svc({ type: 'ClusterIP', selector: { app: 'booking' }, ports: [] })), ['port removed 80/http -> 8080']);
    assert.deepEqual(diffService(base, svc({ type: 'ClusterIP', selector: { app: 'booking' }, ports: [{ name: 'web', port: 80, targetPort: 8080 }] })), ['port 80 name http -> web']);
  });

  test('near miss: a label the engine ignores, or the resourceVersion, records nothing', () => {
    const b = { ...svc(base.spec, { team: 'x' }), metadata: { ...base.metadata, resourceVersion: '9', labels: { team: 'x' } } };
    assert.equal(describeChange('Service', { type: 'modified', namespace: 'hst-a', name: 'booking', object: b, previous: base }), undefined);
  });
});

describe('Certificate diffs', () => {
  const cert = (ready: string, notAfter: string, secretName = 'portal-tls'): SlimCertManagerCertificate => ({
    metadata: { name: 'portal-tls', namespace: 'hst-a' },
    spec: { secretName, dnsNames: ['portal.a.com'], issuerRef: { name: 'ca', kind: 'ClusterIssuer' } },
    status: { conditions: [{ type: 'Ready', status: ready, reason: ready === 'True' ? 'Ready' : 'Failed' }], notAfter },
  });
  test('ready condition, notAfter and secret', () => {
    assert.deepEqual(diffCertificate(cert('True', '2027-01-01T00:00:00Z'), cert('False', '2027-01-01T00:00:00Z')), ['ready True (Ready) -> False (Failed)']);
    assert.deepEqual(diffCertificate(cert('True', '2027-01-01T00:00:00Z'), cert('True', '2027-04-01T00:00:00Z')), ['notAfter 2027-01-01T00:00:00Z -> 2027-04-01T00:00:00Z']);
    assert.deepEqual(diffCertificate(cert('True', 'x'), cert('True', 'x', 'other')), ['secret portal-tls -> other']);
    assert.deepEqual(diffCertificate(cert('True', 'x'), cert('True', 'x')), []);
  });
});

describe('Helm release', () => {
  test('from the Helm labels, with the chart; none without a Helm mark', () => {
    assert.deepEqual(helmOf({ labels: { 'app.kubernetes.io/managed-by': 'Helm', 'app.kubernetes.io/instance': 'api', 'helm.sh/chart': 'api-1.2.0' } }), { release: 'api', chart: 'api-1.2.0' });
    assert.deepEqual(helmOf({ labels: { 'app.kubernetes.io/managed-by': 'Helm', 'app.kubernetes.io/instance': 'api', 'helm.sh/revision': '7' } }), { release: 'api', revision: '7' });
    assert.equal(helmOf({ labels: { 'app.kubernetes.io/instance': 'api', 'app.kubernetes.io/managed-by': 'argocd' } }), undefined);
  });
});

const pod = (name: string, hash: string, image: string, status?: SlimPod['status']): SlimPod => ({
  metadata: { name, namespace: 'hst-a', labels: { app: 'shop', 'pod-template-hash': hash }, ownerReferences: [{ kind: 'ReplicaSet', name: `shop-${hash}`, controller: true }] },
  spec: { containers: [{ name: 'app', image }] },
  ...(status ? { status } : {}),
});
const added = (p: SlimPod): CacheChange<SlimPod> => ({ type: 'added', namespace: 'hst-a', name: p.metadata.name, object: p });
const deleted = (p: SlimPod): CacheChange<SlimPod> => ({ type: 'deleted', namespace: 'hst-a', name: p.metadata.name, object: p, previous: p });

describe('Pods: rollouts and scale to zero, not churn', () => {
  test('one change per (workload, new hash) with the image, none for churn or status', () => {
    const t = new PodTracker();
    const old = [pod('shop-aaa-1', 'aaa', 'shop:1.4'), pod('shop-aaa-2', 'aaa', 'shop:1.4')];
    for (const p of old) assert.equal(t.observe(added(p), false), undefined, 'the first list teaches only');
    // Churn: a Pod replaced within the same revision.
    assert.equal(t.observe(deleted(old[0]!), true), undefined);
    assert.equal(t.observe(added(pod('shop-aaa-3', 'aaa', 'shop:1.4')), true), undefined);
    // Status only.
    const running = pod('shop-aaa-3', 'aaa', 'shop:1.4', { phase: 'Running', containerStatuses: [{ name: 'app', ready: false, restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } } }] });
    assert.equal(t.observe({ type: 'modified', namespace: 'hst-a', name: 'shop-aaa-3', object: running, previous: pod('shop-aaa-3', 'aaa', 'shop:1.4') }, true), undefined);
    // The rollout: one change for the first new Pod, none for the next.
    const ev = t.observe(added(pod('shop-bbb-1', 'bbb', 'shop:1.5')), true);
    assert.deepEqual(ev?.lines, ['rollout shop aaa -> bbb', 'image shop:1.4 -> shop:1.5']);
    assert.equal(ev?.action, 'added');
    assert.equal(t.observe(added(pod('shop-bbb-2', 'bbb', 'shop:1.5')), true), undefined);
    assert.equal(t.observe(deleted(old[1]!), true), undefined);
    assert.equal(t.observe(deleted(pod('shop-aaa-3', 'aaa', 'shop:1.4')), true), undefined, 'old Pods going after a rollout is no change');
  });

  test('the last Pod of a workload going is replicas N -> 0; the first coming back is replicas 0 -> 1', () => {
    const t = new PodTracker();
    const ps = [1, 2, 3].map((i) => pod(`shop-aaa-${i}`, 'aaa', 'shop:1.4'));
    for (const p of ps) t.observe(added(p), false);
    assert.equal(t.observe(deleted(ps[0]!), true), undefined);
    assert.equal(t.observe(deleted(ps[1]!), true), undefined);
    assert.deepEqual(t.observe(deleted(ps[2]!), true)?.lines, ['replicas shop 3 -> 0']);
    assert.deepEqual(t.observe(added(pod('shop-aaa-9', 'aaa', 'shop:1.4')), true)?.lines, ['replicas shop 0 -> 1']);
  });
});

const slice = (name: string, ready: boolean[], service = 'checkout'): SlimEndpointSlice => ({
  metadata: { name, namespace: 'hst-a', labels: { 'kubernetes.io/service-name': service } },
  addressType: 'IPv4',
  endpoints: ready.map((r, i) => ({ addresses: [`10.0.0.${i}`], conditions: { ready: r } })),
});
const sliceChange = (s: SlimEndpointSlice, prev?: SlimEndpointSlice): CacheChange<SlimEndpointSlice> =>
  prev ? { type: 'modified', namespace: 'hst-a', name: s.metadata.name, object: s, previous: prev } : { type: 'added', namespace: 'hst-a', name: s.metadata.name, object: s };

describe('EndpointSlices: a Service to or from zero ready endpoints only', () => {
  test('flaps between non-zero counts record nothing; 0 and back are one line each', () => {
    const t = new SliceTracker();
    t.observe(sliceChange(slice('checkout-a', [true, true])), false);
    t.observe(sliceChange(slice('checkout-b', [true])), false);
    assert.equal(t.observe(sliceChange(slice('checkout-a', [true, false]), slice('checkout-a', [true, true])), true), undefined, 'endpoint flap');
    assert.equal(t.observe(sliceChange(slice('checkout-a', [false, false]), slice('checkout-a', [true, false])), true), undefined, 'still one ready in the other slice');
    const zero = t.observe(sliceChange(slice('checkout-b', [false]), slice('checkout-b', [true])), true);
    assert.deepEqual(zero?.lines, ['ready endpoints of checkout 1 -> 0']);
    assert.equal(zero?.service, 'checkout');
    const back = t.observe(sliceChange(slice('checkout-a', [true, true]), slice('checkout-a', [false, false])), true);
    assert.deepEqual(back?.lines, ['ready endpoints of checkout 0 -> 2']);
  });
});
