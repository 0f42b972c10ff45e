// The recorder against a HistoryService-shaped recording double: the store is another module
// (lib/history/store.ts) tested on its own; here what matters is what the recorder hands to the interface.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CacheChange, Cacheable } from '../cluster/reducer';
import type { CertificateInfo } from '../model/k8s';
import type { ProbeResults } from '../model/probe';
import { createRecorder } from './recorder';
import { domain, finding, recordingHistory, result } from './recording.testing';
import type { Since } from './types';

const T0 = Date.parse('2026-11-26T09:30:00Z');

function clock() {
  let t = T0;
  return { now: () => new Date(t), advance: (ms: number) => (t += ms) };
}

const crash = finding('pod.crash-loop', 'critical', 'Pod checkout-1 is in CrashLoopBackOff', { kind: 'Pod', namespace: 'hst-a', name: 'checkout-7c9d-x1' });
const noReady = finding('service.no-ready-endpoints', 'critical', 'Service checkout has no ready endpoint', { kind: 'Service', namespace: 'hst-a', name: 'checkout' });
const info = finding('tls.managed-by-resolver', 'info', 'managed', { kind: 'Ingress', namespace: 'hst-a', name: 'checkout' });

describe('recorder: health transitions', () => {
  test('records a transition only when a host changes, with sorted codes of critical/warning findings and the top message', async () => {
    const h = recordingHistory(new Map());
    const c = clock();
    const r = createRecorder({ history: h, cluster: 'c1', now: c.now });
    await r.start();
    r.observeView({ result: result([domain('checkout.a.com', 'healthy', [info]), domain('www.a.com', 'healthy')]), synced: true });
    assert.deepEqual(h.transitions.map((t) => [t.host, t.from, t.to]), [['checkout.a.com', 'no-data', 'healthy'], ['www.a.com', 'no-data', 'healthy']]);
    assert.deepEqual(h.transitions[0]!.codes, []);
    assert.equal(h.transitions[0]!.message, undefined);

    c.advance(5000);
    r.observeView({ result: result([domain('checkout.a.com', 'healthy', [info]), domain('www.a.com', 'healthy')]), synced: true });
    assert.equal(h.transitions.length, 2, 'an unchanged view records nothing');

    c.advance(5000);
    r.observeView({ result: result([domain('checkout.a.com', 'down', [noReady, crash, crash, info]), domain('www.a.com', 'healthy')]), synced: true });
    assert.equal(h.transitions.length, 3);
    const t = h.transitions[2]!;
    assert.deepEqual(
      { host: t.host, namespace: t.namespace, cluster: t.cluster, from: t.from, to: t.to, codes: t.codes, message: t.message, at: t.at },
      { host: 'checkout.a.com', namespace: 'hst-a', cluster: 'c1', from: 'healthy', to: 'down', codes: ['pod.crash-loop', 'service.no-ready-endpoints'], message: 'Service checkout has no ready endpoint', at: '2026-11-26T09:30:10.000Z' },
    );
    r.stop();
  });

  test('records no transitions while the view is not synced, and compares with the last state once synced again', async () => {
    const h = recordingHistory(new Map());
    const r = createRecorder({ history: h, cluster: 'c1', now: clock().now });
    await r.start();
    r.observeView({ result: result([domain('a.com', 'healthy')]), synced: true });
    r.observeView({ result: result([domain('a.com', 'down', [noReady])]), synced: false });
    r.observeView({ synced: true }); // no result: not synced either
    assert.deepEqual(h.transitions.map((t) => t.to), ['healthy']);
    r.observeView({ result: result([domain('a.com', 'down', [noReady])]), synced: true });
    assert.deepEqual(h.transitions.map((t) => `${t.from}->${t.to}`), ['no-data->healthy', 'healthy->down']);
    r.stop();
  });

  test('a host that leaves the result goes to no-data, once, with a message; coming back starts from no-data', async () => {
    const h = recordingHistory(new Map());
    const r = createRecorder({ history: h, cluster: 'c1', now: clock().now });
    await r.start();
    r.observeView({ result: result([domain('a.com', 'healthy'), domain('b.com', 'degraded', [finding('pod.not-ready', 'warning', 'one pod not ready', { kind: 'Pod', name: 'b', namespace: 'hst-a' })])]), synced: true });
    r.observeView({ result: result([domain('a.com', 'healthy')]), synced: true });
    r.observeView({ result: result([domain('a.com', 'healthy')]), synced: true });
    const gone = h.transitions.filter((t) => t.host === 'b.com');
    assert.deepEqual(gone.map((t) => `${t.from}->${t.to}`), ['no-data->degraded', 'degraded->no-data']);
    assert.equal(gone[1]!.namespace, 'hst-a');
    assert.match(gone[1]!.message!, /b\.com is no longer served/);
    r.observeView({ result: result([domain('a.com', 'healthy'), domain('b.com', 'healthy')]), synced: true });
    assert.equal(h.transitions.at(-1)!.from, 'no-data');
    r.stop();
  });
});

describe('recorder: memory across restarts', () => {
  test('the last recorded states are the starting point: no duplicate transition when nothing changed, one when it did', async () => {
    const states = new Map<string, Since>([
      ['a.com', { state: 'healthy', since: '2026-11-20T00:00:00Z' }],
      ['b.com', { state: 'down', since: '2026-11-25T00:00:00Z' }],
      ['gone.com', { state: 'healthy', since: '2026-11-01T00:00:00Z' }],
    ]);
    const h = recordingHistory(states);
    const r = createRecorder({ history: h, cluster: 'c1', now: clock().now });
    await r.start();
    r.observeView({ result: result([domain('a.com', 'healthy'), domain('b.com', 'healthy')]), synced: true });
    assert.deepEqual(h.transitions.map((t) => `${t.host} ${t.from}->${t.to}`).sort(), ['b.com down->healthy', 'gone.com healthy->no-data']);
    r.stop();
  });

  test('views that arrive before start() resolves are compared once the memory is loaded', async () => {
    const h = recordingHistory(new Map([['a.com', { state: 'healthy', since: '2026-11-20T00:00:00Z' }]]));
    const r = createRecorder({ history: h, cluster: 'c1', now: clock().now });
    r.observeView({ result: result([domain('a.com', 'healthy')]), synced: true });
    assert.equal(h.transitions.length, 0);
    await r.start();
    assert.equal(h.transitions.length, 0, 'a.com was healthy before the restart and still is');
    r.stop();
  });

  test('unavailable memory: starts from nothing and asks again on the heartbeat', async () => {
    let available: Map<string, Since> | undefined;
    const h = recordingHistory(() => available);
    const r = createRecorder({ history: h, cluster: 'c1', now: clock().now, heartbeatMs: 20 });
    await r.start();
    assert.equal(h.lastStatesCalls, 1);
    available = new Map([['old.com', { state: 'down', since: '2026-11-20T00:00:00Z' }]]);
    await new Promise((res) => setTimeout(res, 80));
    assert.ok(h.lastStatesCalls >= 2, 'asked again');
    r.observeView({ result: result([domain('a.com', 'healthy')]), synced: true });
    assert.deepEqual(h.transitions.map((t) => `${t.host} ${t.from}->${t.to}`).sort(), ['a.com no-data->healthy', 'old.com down->no-data']);
    const calls = h.lastStatesCalls;
    await new Promise((res) => setTimeout(res, 60));
    assert.equal(h.lastStatesCalls, calls, 'not asked once loaded');
    r.stop();
  });
});

describe('recorder: heartbeats', () => {
  test('beats every heartbeatMs with the latest synced flag, at once when the flag changes, and a last unsynced beat on stop', async () => {
    const h = recordingHistory(new Map());
    const r = createRecorder({ history: h, cluster: 'c1', now: () => new Date(), heartbeatMs: 25 });
    await r.start();
    assert.deepEqual(h.beats.map((b) => b.synced), [false], 'start beats unsynced');
    r.observeView({ result: result([domain('a.com', 'healthy')]), synced: true });
    assert.deepEqual(h.beats.map((b) => b.synced), [false, true]);
    await new Promise((res) => setTimeout(res, 90));
    const synced = h.beats.slice(2);
    assert.ok(synced.length >= 2 && synced.every((b) => b.synced), `timer beats synced: ${JSON.stringify(h.beats)}`);
    r.stop();
    assert.equal(h.beats.at(-1)!.synced, false);
    const n = h.beats.length;
    await new Promise((res) => setTimeout(res, 60));
    assert.equal(h.beats.length, n, 'no beat after stop');
  });
});

const cert = (fp: string, notAfter: string, issuer = 'CN=R10'): CertificateInfo => ({
  subject: 'CN=a.com', issuer, sans: ['a.com'], notBefore: '2026-10-01T00:00:00Z', notAfter, serialNumber: '01', fingerprint256: fp, selfSigned: false,
});
const probe = (host: string, c: CertificateInfo): ProbeResults => ({
  [host]: { tls: { status: 'ok', host, target: '127.0.0.1:443', checkedAt: '2026-11-26T09:30:00Z', chain: [c], trusted: true } },
});

describe('recorder: served certificates', () => {
  test('the first sight is not a change; a new fingerprint is a rotation with shortened fingerprints, issuer and notAfter', async () => {
    const h = recordingHistory(new Map());
    const r = createRecorder({ history: h, cluster: 'c1', now: clock().now });
    await r.start();
    r.observeView({ result: result([domain('a.com', 'healthy')]), synced: true });
    r.observeProbes(probe('a.com', cert('AA:BB:CC:DD:EE:FF:00', '2026-12-01T00:00:00Z')));
    r.observeProbes(probe('a.com', cert('AA:BB:CC:DD:EE:FF:00', '2026-12-01T00:00:00Z')));
    r.observeProbes({ 'a.com': { tls: { status: 'error', host: 'a.com', target: 'x', checkedAt: 'x', errorKind: 'timeout', error: 'timeout' } } });
    assert.equal(h.changes.length, 0);
    r.observeProbes(probe('a.com', cert('11:22:33:44:55:66:77', '2027-03-01T00:00:00Z', 'CN=R11')));
    assert.equal(h.changes.length, 1);
    const c = h.changes[0]!;
    assert.deepEqual(
      { kind: c.kind, name: c.name, action: c.action, hosts: c.hosts, namespace: c.namespace, lines: c.lines },
      { kind: 'ServedCertificate', name: 'a.com', action: 'rotated', hosts: ['a.com'], namespace: 'hst-a', lines: ['fingerprint AA:BB:CC:DD… -> 11:22:33:44…', 'issuer CN=R10 -> CN=R11', 'notAfter 2026-12-01 -> 2027-03-01'] },
    );
    r.stop();
  });
});

describe('recorder: object changes', () => {
  const svc = (selector: Record<string, string>, rv: string) => ({ metadata: { name: 'checkout', namespace: 'hst-a', resourceVersion: rv, labels: { 'app.kubernetes.io/managed-by': 'Helm', 'app.kubernetes.io/instance': 'checkout', 'helm.sh/chart': 'checkout-2.0.0' } }, spec: { selector, ports: [{ port: 80, targetPort: 8080 }] } });
  const modified = (a: Cacheable, b: Cacheable): CacheChange<Cacheable> => ({ type: 'modified', namespace: b.metadata.namespace!, name: b.metadata.name, object: b, previous: a });

  test('the first list is the cluster, not changes; after the first synced view, changes are attributed to the hosts of the chain', async () => {
    const h = recordingHistory(new Map());
    const r = createRecorder({ history: h, cluster: 'c1', now: clock().now });
    await r.start();
    r.observeObjects('Service', [{ type: 'added', namespace: 'hst-a', name: 'checkout', object: svc({ app: 'checkout' }, '1') }]);
    r.observeView({ result: result([domain('checkout.a.com', 'healthy')]), synced: true });
    assert.equal(h.changes.length, 0);
    r.observeObjects('Service', [modified(svc({ app: 'checkout' }, '1'), svc({ app: 'checkout' }, '2'))]);
    assert.equal(h.changes.length, 0, 'a resourceVersion-only update records nothing');
    r.observeObjects('Service', [modified(svc({ app: 'checkout' }, '2'), svc({ app: 'chekout' }, '3'))]);
    assert.equal(h.changes.length, 1);
    const c = h.changes[0]!;
    assert.deepEqual(
      { kind: c.kind, name: c.name, action: c.action, hosts: c.hosts, lines: c.lines, helm: c.helm },
      { kind: 'Service', name: 'checkout', action: 'modified', hosts: ['checkout.a.com'], lines: ['selector app=checkout -> app=chekout'], helm: { release: 'checkout', chart: 'checkout-2.0.0' } },
    );
    r.stop();
  });

  test('a Service on no chain is kept with no hosts in a client namespace only; a Certificate on no chain is dropped', async () => {
    const h = recordingHistory(new Map());
    const r = createRecorder({ history: h, cluster: 'c1', now: clock().now });
    await r.start();
    r.observeView({ result: result([domain('checkout.a.com', 'healthy')]), synced: true });
    const other = (ns: string) => ({ metadata: { name: 'lonely', namespace: ns }, spec: { selector: { app: 'lonely' }, ports: [{ port: 80 }] } });
    r.observeObjects('Service', [
      { type: 'added', namespace: 'hst-a', name: 'lonely', object: other('hst-a') },
      { type: 'added', namespace: 'kube-system', name: 'lonely', object: other('kube-system') },
    ]);
    r.observeObjects('Certificate', [{ type: 'added', namespace: 'hst-a', name: 'nobody', object: { metadata: { name: 'nobody', namespace: 'hst-a' }, spec: { secretName: 'nobody-tls' } } as Cacheable }]);
    assert.deepEqual(h.changes.map((c) => [c.namespace, c.name, c.hosts]), [['hst-a', 'lonely', []]]);
    assert.match(h.changes[0]!.lines[0]!, /^added: type ClusterIP, selector app=lonely, ports 80 -> 80$/);
    r.stop();
  });

  test('a deleted object is attributed with the index from before its deletion', async () => {
    const h = recordingHistory(new Map());
    const r = createRecorder({ history: h, cluster: 'c1', now: clock().now });
    await r.start();
    r.observeView({ result: result([domain('checkout.a.com', 'healthy'), domain('www.a.com', 'healthy')]), synced: true });
    // The next analysis no longer has checkout's chain before the deletion event is observed.
    r.observeView({ result: result([domain('www.a.com', 'healthy')]), synced: true });
    const old = svc({ app: 'checkout' }, '4');
    r.observeObjects('Service', [{ type: 'deleted', namespace: 'hst-a', name: 'checkout', object: old, previous: old }]);
    assert.deepEqual(h.changes.map((c) => [c.action, c.hosts]), [['deleted', ['checkout.a.com']]]);
    assert.match(h.changes[0]!.lines[0]!, /^deleted: type ClusterIP, selector app=checkout, ports 80 -> 8080$/);
    r.stop();
  });
});

describe('recorder: rollouts and endpoints', () => {
  test('a rollout is one Pod change attributed through the workload; a Service losing its last ready endpoint is one EndpointSlice change', async () => {
    const h = recordingHistory(new Map());
    const r = createRecorder({ history: h, cluster: 'c1', now: clock().now });
    await r.start();
    const pod = (name: string, hash: string, image: string) => ({
      metadata: { name, namespace: 'hst-a', labels: { app: 'checkout', 'pod-template-hash': hash }, ownerReferences: [{ kind: 'ReplicaSet', name: `checkout-${hash}`, controller: true }] },
      spec: { containers: [{ name: 'app', image }] },
    });
    const slice = (ready: boolean) => ({
      metadata: { name: 'checkout-abcde', namespace: 'hst-a', labels: { 'kubernetes.io/service-name': 'checkout' } },
      addressType: 'IPv4',
      endpoints: [{ addresses: ['10.0.0.1'], conditions: { ready } }],
    });
    r.observeObjects('Pod', [{ type: 'added', namespace: 'hst-a', name: 'checkout-7c9d-x1', object: pod('checkout-7c9d-x1', '7c9d', 'checkout:1.9') }]);
    r.observeObjects('EndpointSlice', [{ type: 'added', namespace: 'hst-a', name: 'checkout-abcde', object: slice(true) }]);
    r.observeView({ result: result([domain('checkout.a.com', 'healthy')]), synced: true });
    r.observeObjects('Pod', [
      { type: 'added', namespace: 'hst-a', name: 'checkout-5f6b-y1', object: pod('checkout-5f6b-y1', '5f6b', 'checkout:2.0') },
      { type: 'added', namespace: 'hst-a', name: 'checkout-5f6b-y2', object: pod('checkout-5f6b-y2', '5f6b', 'checkout:2.0') },
    ]);
    r.observeObjects('EndpointSlice', [{ type: 'modified', namespace: 'hst-a', name: 'checkout-abcde', object: slice(false), previous: slice(true) }]);
    assert.deepEqual(
      h.changes.map((c) => [c.kind, c.name, c.hosts, c.lines]),
      [
        ['Pod', 'checkout-5f6b-y1', ['checkout.a.com'], ['rollout checkout 7c9d -> 5f6b', 'image checkout:1.9 -> checkout:2.0']],
        ['EndpointSlice', 'checkout-abcde', ['checkout.a.com'], ['ready endpoints of checkout 1 -> 0']],
      ],
    );
    r.stop();
  });
});

describe('recorder: views that reuse domain objects', () => {
  test('a domain moving position, a reused object elsewhere and a host leaving are all seen', async () => {
    const h = recordingHistory(new Map());
    const r = createRecorder({ history: h, cluster: 'c1', now: clock().now });
    await r.start();
    const [a, b, c] = [domain('a.com', 'healthy'), domain('b.com', 'healthy'), domain('c.com', 'healthy')];
    r.observeView({ result: result([a, b, c]), synced: true });
    const b2 = domain('b.com', 'down', [noReady]);
    // Worst first: b moves to the front, a and c are the same objects at other positions.
    r.observeView({ result: result([b2, a, c]), synced: true });
    r.observeView({ result: result([b2, a]), synced: true });
    r.observeView({ result: result([b2, a]), synced: true });
    assert.deepEqual(h.transitions.slice(3).map((t) => `${t.host} ${t.from}->${t.to}`), ['b.com healthy->down', 'c.com healthy->no-data']);
    r.stop();
  });
});

describe('recorder: writer takeover', () => {
  test("a reader that becomes the writer records what changed while nobody wrote, against the database's last states", async () => {
    // The double behaves as the store does for a replica: a reader's records are dropped (another replica
    // writes them), and the database's last states are whatever was last written.
    const db = new Map<string, Since>([['a.com', { state: 'healthy', since: '2026-11-20T00:00:00Z' }]]);
    const h = recordingHistory(() => db);
    let role: 'reader' | 'writer' = 'reader';
    h.status = () => ({ available: true, engine: 'postgres', role, retentionDays: 90, pending: 0, defaultCluster: 'c1' });
    const record = h.record;
    h.record = (r) => {
      if (role === 'writer') record(r);
    };
    const r = createRecorder({ history: h, cluster: 'c1', now: clock().now, heartbeatMs: 20 });
    await r.start();
    r.observeView({ result: result([domain('a.com', 'healthy')]), synced: true });
    // The writer stops; before this replica takes the lock, a.com goes down: the store drops that record.
    r.observeView({ result: result([domain('a.com', 'down', [noReady])]), synced: true });
    assert.equal(h.transitions.length, 0);
    role = 'writer';
    await new Promise((res) => setTimeout(res, 100));
    assert.deepEqual(h.transitions.map((t) => `${t.host} ${t.from}->${t.to}`), ['a.com healthy->down']);
    assert.deepEqual(h.transitions[0]!.codes, ['service.no-ready-endpoints']);
    // Once, not at every heartbeat.
    await new Promise((res) => setTimeout(res, 60));
    assert.equal(h.transitions.length, 1);
    r.stop();
  });

  test('a replica that was the writer from the start does not compare again at its heartbeats', async () => {
    const h = recordingHistory(new Map());
    const r = createRecorder({ history: h, cluster: 'c1', now: clock().now, heartbeatMs: 20 });
    await r.start();
    r.observeView({ result: result([domain('a.com', 'healthy')]), synced: true });
    await new Promise((res) => setTimeout(res, 80));
    assert.deepEqual(h.transitions.map((t) => `${t.host} ${t.from}->${t.to}`), ['a.com no-data->healthy']);
    assert.equal(h.lastStatesCalls, 1);
    r.stop();
  });
});
