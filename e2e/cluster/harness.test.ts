/**
 * Smoke test of the control-plane harness: real kube-apiserver, controllers, scheduler and kwok.
 * Needs the binaries: `bash e2e/cluster/build.sh` (see README.md).
 *
 *   node --conditions=react-server --import tsx --test e2e/cluster/harness.test.ts
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { request } from 'node:https';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { AppsV1Api, CoreV1Api, DiscoveryV1Api, type V1EndpointSlice } from '@kubernetes/client-node';
import { NOT_READY_LABEL } from './components';
import { startControlPlane, type ControlPlane } from './harness';
import { kustomizeBuild } from './objects';
import type { ProcessInfo } from './processes';
import { waitFor } from './wait';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const NS = 'hst-smoke';
const LABELS = { app: 'web' };

function readyEndpoints(slices: V1EndpointSlice[]): string[] {
  return slices.flatMap((s) => (s.endpoints ?? []).filter((e) => e.conditions?.ready === true).flatMap((e) => e.addresses));
}

function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

describe('the e2e control plane', () => {
  let cp: ControlPlane | undefined;
  let started: ProcessInfo[] = [];

  before(
    async () => {
      cp = await startControlPlane();
      started = cp.processes();
    },
    { timeout: 300_000 },
  );
  after(async () => {
    await cp?.stop();
  });

  const control = () => {
    assert.ok(cp, 'the control plane started');
    return cp;
  };

  it('runs etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok', () => {
    assert.deepEqual(started.map((p) => p.name).sort(), ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok', 'watchdog']);
    assert.match(control().server, /^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it('turns a Deployment of 3 replicas behind a Service into an EndpointSlice with 3 ready endpoints', { timeout: 120_000 }, async () => {
    const kc = control().adminKubeConfig();
    const core = kc.makeApiClient(CoreV1Api);
    const apps = kc.makeApiClient(AppsV1Api);
    const discovery = kc.makeApiClient(DiscoveryV1Api);

    await core.createNamespace({ body: { metadata: { name: NS } } });
    // Pods need the namespace's "default" ServiceAccount, made by the serviceaccount controller.
    await waitFor('ServiceAccount hst-smoke/default', async () => ((await core.readNamespacedServiceAccount({ namespace: NS, name: 'default' })) ? true : undefined));
    await apps.createNamespacedDeployment({
      namespace: NS,
      body: {
        metadata: { name: 'web', labels: LABELS },
        spec: {
          replicas: 3,
          selector: { matchLabels: LABELS },
          template: {
            metadata: { labels: LABELS },
            spec: { containers: [{ name: 'web', image: 'registry.invalid/web:1', ports: [{ name: 'http', containerPort: 8080 }] }] },
          },
        },
      },
    });
    await core.createNamespacedService({
      namespace: NS,
      body: {
        metadata: { name: 'web' },
        spec: { selector: LABELS, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
      },
    });

    const addresses = await waitFor(
      'an EndpointSlice of Service web with 3 ready endpoints',
      async () => {
        const list = await discovery.listNamespacedEndpointSlice({ namespace: NS, labelSelector: 'kubernetes.io/service-name=web' });
        const ready = readyEndpoints(list.items);
        return ready.length === 3 ? ready : undefined;
      },
      { timeoutMs: 90_000 },
    );
    assert.equal(new Set(addresses).size, 3);
    for (const ip of addresses) assert.match(ip, /^10\.244\.\d+\.\d+$/);

    const pods = await core.listNamespacedPod({ namespace: NS, labelSelector: 'app=web' });
    assert.equal(pods.items.length, 3);
    for (const pod of pods.items) {
      assert.equal(pod.status?.phase, 'Running');
      assert.ok(pod.spec?.nodeName?.startsWith('kwok-node-'), 'the scheduler bound the Pod to a kwok Node');
    }
  });

  it('makes one labelled Pod not ready, and ready again once the label is gone', { timeout: 120_000 }, async () => {
    const cpl = control();
    const core = cpl.adminKubeConfig().makeApiClient(CoreV1Api);
    const discovery = cpl.adminKubeConfig().makeApiClient(DiscoveryV1Api);
    const pods = await core.listNamespacedPod({ namespace: NS, labelSelector: 'app=web' });
    const victim = pods.items[0]?.metadata?.name;
    assert.ok(victim);
    const label = async (value: string | null) => {
      const r = await cpl.api('PATCH', `/api/v1/namespaces/${NS}/pods/${victim}`, { metadata: { labels: { [NOT_READY_LABEL]: value } } }, 'application/merge-patch+json');
      assert.equal(r.status, 200, r.text);
    };
    const readyCount = async () => readyEndpoints((await discovery.listNamespacedEndpointSlice({ namespace: NS, labelSelector: 'kubernetes.io/service-name=web' })).items).length;

    await label('true');
    await waitFor('2 ready endpoints', async () => ((await readyCount()) === 2 ? true : undefined), { timeoutMs: 60_000 });
    const pod = await core.readNamespacedPod({ namespace: NS, name: victim });
    assert.equal(pod.status?.conditions?.find((c) => c.type === 'Ready')?.status, 'False');
    assert.equal(pod.status?.phase, 'Running');

    await label(null);
    await waitFor('3 ready endpoints again', async () => ((await readyCount()) === 3 ? true : undefined), { timeoutMs: 60_000 });
  });

  it('issues ServiceAccount tokens that the apiserver authenticates', { timeout: 60_000 }, async () => {
    const cpl = control();
    await cpl.apply({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'reader', namespace: NS } });
    const token = await cpl.createServiceAccountToken(NS, 'reader');
    const res = await asToken<{ status?: { userInfo?: { username?: string } } }>(cpl, token, 'POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'SelfSubjectReview',
    });
    assert.equal(res.status?.userInfo?.username, `system:serviceaccount:${NS}:reader`);
  });

  it("installs deploy/base server-side, and Chainboard's ServiceAccount may read what it watches and write nothing", { timeout: 120_000 }, async () => {
    const cpl = control();
    // What a cluster's storage would provide for deploy/base's history claim (chainboard-data): a
    // volume the binder matches to it, so the scheduler can place the Pod.
    await cpl.apply({
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: 'chainboard-data-test' },
      spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Delete', storageClassName: '', hostPath: { path: '/tmp/chainboard-data-test' } },
    });
    await cpl.applyAll(kustomizeBuild(join(ROOT, 'deploy', 'base')));
    // The chainboard namespace enforces Pod Security "restricted": the Pod is only created if the
    // Deployment's securityContext meets it. kwok then reports it Running and Ready.
    await waitFor(
      'Deployment chainboard/chainboard with 1 ready replica',
      async () => {
        const r = await cpl.api<{ status?: { readyReplicas?: number } }>('GET', '/apis/apps/v1/namespaces/chainboard/deployments/chainboard');
        return r.body.status?.readyReplicas === 1 ? true : undefined;
      },
      { timeoutMs: 60_000 },
    );
    const token = await cpl.createServiceAccountToken('chainboard', 'chainboard');
    const can = async (attrs: Record<string, string>) => {
      const r = await asToken<{ status?: { allowed?: boolean } }>(cpl, token, 'POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        spec: { resourceAttributes: attrs },
      });
      return r.status?.allowed === true;
    };
    const reads: Record<string, string>[] = [
      { verb: 'list', resource: 'namespaces' },
      { verb: 'watch', resource: 'pods' },
      { verb: 'list', resource: 'services', namespace: NS },
      { verb: 'watch', resource: 'events' },
      { verb: 'watch', group: 'events.k8s.io', resource: 'events' },
      { verb: 'list', group: 'networking.k8s.io', resource: 'ingresses' },
      { verb: 'get', group: 'networking.k8s.io', resource: 'ingressclasses', name: 'traefik-external' },
      { verb: 'watch', group: 'discovery.k8s.io', resource: 'endpointslices' },
    ];
    for (const attrs of reads) assert.equal(await can(attrs), true, `may ${JSON.stringify(attrs)}`);
    const denied: Record<string, string>[] = [
      { verb: 'create', resource: 'pods', namespace: NS },
      { verb: 'delete', resource: 'services', namespace: NS },
      { verb: 'patch', group: 'apps', resource: 'deployments', namespace: NS },
      { verb: 'update', group: 'networking.k8s.io', resource: 'ingresses', namespace: NS },
      { verb: 'list', resource: 'secrets' },
      { verb: 'list', resource: 'endpoints' },
      { verb: 'create', resource: 'pods', subresource: 'exec', namespace: NS },
    ];
    for (const attrs of denied) assert.equal(await can(attrs), false, `may not ${JSON.stringify(attrs)}`);
  });

  it('restarts kube-apiserver on the same port while the controllers keep working', { timeout: 180_000 }, async () => {
    const cpl = control();
    await cpl.stopApiServer();
    await assert.rejects(cpl.api('GET', '/readyz'), 'the API is unreachable while kube-apiserver is down');
    await cpl.startApiServer();
    assert.equal((await cpl.api('GET', '/readyz')).status, 200);
    // The controller-manager reconnects: scaling still reaches the EndpointSlice.
    const r = await cpl.api('PATCH', `/apis/apps/v1/namespaces/${NS}/deployments/web/scale`, { spec: { replicas: 1 } }, 'application/merge-patch+json');
    assert.equal(r.status, 200, r.text);
    const discovery = cpl.adminKubeConfig().makeApiClient(DiscoveryV1Api);
    await waitFor(
      '1 ready endpoint after scaling to 1',
      async () => (readyEndpoints((await discovery.listNamespacedEndpointSlice({ namespace: NS, labelSelector: 'kubernetes.io/service-name=web' })).items).length === 1 ? true : undefined),
      { timeoutMs: 90_000 },
    );
    assert.ok(cpl.processes().every((p) => !isGone(p.pid)));
    // A crash (SIGKILL) and back.
    await cpl.restartApiServer({ crash: true });
    assert.equal((await cpl.api('GET', '/readyz')).status, 200);
  });

  it('records every request in the audit log with its user and verb', async () => {
    const events = await control().auditEvents(`system:serviceaccount:${NS}:reader`);
    assert.ok(events.length > 0);
    assert.ok(events.every((e) => typeof e.verb === 'string'));
  });

  it('leaves no process and no folder behind after stop()', { timeout: 60_000 }, async () => {
    const cpl = control();
    const all = [...started, ...cpl.processes()];
    await cpl.stop();
    await cpl.stop(); // idempotent
    for (const p of all) assert.ok(isGone(p.pid), `${p.name} (pid ${p.pid}) is gone`);
    for (const p of all) assert.ok(isGone(-p.pid) || p.name === 'watchdog', `the process group of ${p.name} is gone`);
    assert.equal(existsSync(cpl.dir), false, `${cpl.dir} was removed`);
  });
});

/** A JSON request to the control plane authenticated with a bearer token. */
async function asToken<T>(cp: ControlPlane, token: string, method: string, path: string, body?: unknown): Promise<T> {
  const url = new URL(cp.server);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path,
        ca: cp.caCert,
        servername: 'localhost',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json' },
      },
      (res) => {
        let t = '';
        res.on('data', (c: Buffer) => (t += c.toString()));
        res.on('end', () => {
          if ((res.statusCode ?? 0) >= 300) return reject(new Error(`${method} ${path}: HTTP ${res.statusCode}: ${t.slice(0, 300)}`));
          try {
            resolve(JSON.parse(t) as T);
          } catch (e) {
            reject(e);
          }
        });
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}
