/**
 * Chainboard against a real control plane whose etcd is restored from a backup taken before a domain
 * existed: kube-apiserver comes back with resourceVersions below those Chainboard's caches hold, and the
 * domain must go within a bounded time instead of lingering as a ghost. A control plane of its own, as
 * the restore would disturb the suite's. Needs the binaries: `bash e2e/cluster/build.sh`.
 *
 *   node --conditions=react-server --import tsx --test e2e/cluster/reset.test.ts
 *
 * @see https://kubernetes.io/docs/tasks/administer-cluster/configure-upgrade-etcd/#restoring-an-etcd-cluster
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createRuntime, type Runtime } from '../../lib/cluster/runtime';
import type { StoreView } from '../../lib/cluster/store';
import { ingress, ingressClass, namespace, service } from './environments';
import { startControlPlane, type ControlPlane } from './harness';
import type { KubeObject } from './objects';
import { waitFor } from './wait';

const VERBOSE = process.env.CHAINBOARD_E2E_VERBOSE === '1';
const KEEP_NS = 'hst-kept';
const KEEP_HOST = 'kept.restore.example';
const GHOST_NS = 'hst-ghost';
const GHOST_HOST = 'ghost.restore.example';
/** How long the ghost may outlive kube-apiserver's return: its watches reconnect with backoff, then relist. */
const BOUND_MS = 60_000;

/** A client environment with one domain: Namespace, Service and Ingress (no Pods: the domain is shown down, which is enough to be seen). */
const environment = (ns: string, host: string): KubeObject[] => [
  namespace(ns),
  service(ns, 'web', { port: 80, targetPort: 8080 }),
  ingress(ns, 'web', [{ host, service: 'web', port: { number: 80 } }], { tls: false }),
];

const hosts = (v: StoreView) => (v.result?.domains ?? []).map((d) => d.host).sort();

describe('Chainboard across an etcd restore', () => {
  let cp: ControlPlane | undefined;
  let rt: Runtime | undefined;
  const logs: string[] = [];

  before(async () => {
    cp = await startControlPlane();
  }, { timeout: 240_000 });

  after(async () => {
    await rt?.stop();
    await cp?.stop();
  });

  /** Polls the store's view until `pred` holds; the error shows the last view. */
  const until = (what: string, pred: (v: StoreView) => boolean, timeoutMs = BOUND_MS) =>
    waitFor(
      what,
      () => {
        const v = rt!.store.getResult();
        if (pred(v)) return v;
        throw new Error(`last view: ready=${v.ready} stale=${v.stale ? 'yes' : 'no'} hosts=${hosts(v).join(',')} kinds=${v.kinds.map((k) => `${k.kind}:${k.state}`).join(' ')}`);
      },
      { timeoutMs, intervalMs: 100 },
    );

  it('shows no ghost of a domain created after the backup once kube-apiserver is back', { timeout: 300_000 }, async (t) => {
    const c = cp!;
    await c.applyAll([ingressClass(), ...environment(KEEP_NS, KEEP_HOST)]);
    const backup = await c.backupEtcd();

    rt = createRuntime(
      { kubeconfig: c.kubeconfigPath, namespacePrefix: 'hst-', withSecrets: false },
      { log: (m) => (logs.push(m), VERBOSE && console.error(`chainboard: ${m}`)) },
    );
    await until('the kept domain', (v) => hosts(v).join() === KEEP_HOST);

    await c.applyAll(environment(GHOST_NS, GHOST_HOST));
    // Changes after the backup move the caches' resourceVersions well past what the backup holds.
    for (let i = 0; i < 20; i++) {
      await c.apply({ ...service(GHOST_NS, 'web', { port: 80, targetPort: 8080 }), metadata: { name: 'web', namespace: GHOST_NS, annotations: { 'chainboard.test/change': String(i) } } });
    }
    await until('the domain created after the backup', (v) => hosts(v).join() === [GHOST_HOST, KEEP_HOST].sort().join());

    const restoring = Date.now();
    await c.restoreEtcd(backup);
    const back = Date.now();
    const v = await until('no ghost, nothing stale, every kind synced', (x) => hosts(x).join() === KEEP_HOST && x.stale === undefined && x.kinds.every((k) => k.state === 'synced'));
    t.diagnostic(`restore ${back - restoring} ms; the ghost gone and every kind synced ${Date.now() - back} ms after kube-apiserver was ready again`);
    assert.equal(v.result?.namespaces.some((n) => n.name === GHOST_NS), false, 'its client environment is gone too');
    assert.ok(logs.some((l) => l.includes('relisting')), logs.join('\n'));

    // Live on the new history: a change after the restore shows.
    await c.apply(ingress(KEEP_NS, 'after', [{ host: 'after.restore.example', service: 'web', port: { number: 80 } }], { tls: false }));
    await until('a domain created after the restore', (x) => hosts(x).includes('after.restore.example'));
  });
});
