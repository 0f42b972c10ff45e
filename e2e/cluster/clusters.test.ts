/**
 * One Chainboard over two real control planes (east and west), each with deploy/base installed and its
 * own client environments, read as two contexts of one kubeconfig with each cluster's deploy/base
 * ServiceAccount token: both clusters' domains are served, each named by its `cluster`; when west's
 * kube-apiserver goes away only west's environments turn stale (their last data kept) while east stays
 * live, and west recovers on its own once it is back. `chainboard check` over both contexts says the
 * same. Needs the binaries: `bash e2e/cluster/build.sh` (see README.md).
 *
 *   flock /tmp/cluster.lock node --conditions=react-server --import tsx --test e2e/cluster/clusters.test.ts
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it, type TestContext } from 'node:test';
import { stringify as toYaml } from 'yaml';
import { createApiService, type ApiService } from '../../lib/api/service';
import { createSource, type AnalysisSource, type ClusterState } from '../../lib/api/source';
import { parseConfig } from '../../lib/server/config';
import { chainboardCheck } from './cli';
import {
  ACME_HOST,
  ACME_NS,
  deployment,
  environments,
  GLOBEX_API,
  GLOBEX_WWW,
  ingress,
  ingressClass,
  namespace,
  publishIngressAddress,
  SEED_HOST,
  seedDeployment,
  seedIngress,
  SEED_NS,
  seedService,
  service,
} from './environments';
import { startControlPlane, type ControlPlane } from './harness';
import { kustomizeBuild, type KubeObject } from './objects';
import { waitFor } from './wait';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const VERBOSE = process.env.CHAINBOARD_E2E_VERBOSE === '1';

/** West's own environment, beside the seed it shares with east (a client being moved). */
const INITECH_NS = 'hst-initech';
const INITECH_HOST = 'intranet.initech.example';

const EAST_HOSTS = [ACME_HOST, SEED_HOST, GLOBEX_API, GLOBEX_WWW].sort();
const WEST_HOSTS = [INITECH_HOST, SEED_HOST].sort();

function westEnvironments(): KubeObject[] {
  return [
    namespace(SEED_NS),
    namespace(INITECH_NS),
    ingressClass(),
    seedDeployment(),
    seedService(),
    seedIngress(),
    deployment(INITECH_NS, 'intranet', 2, [{ name: 'http', containerPort: 8080 }]),
    service(INITECH_NS, 'intranet', { port: 80, portName: 'http', targetPort: 'http' }),
    ingress(INITECH_NS, 'intranet', [{ host: INITECH_HOST, service: 'intranet', port: { name: 'http' } }], { tls: true }),
  ];
}

/**
 * deploy/base, then the environments (Pods need their namespace's default ServiceAccount first), with
 * the address Traefik would publish on each Ingress; returns a token of deploy/base's ServiceAccount.
 */
async function install(cp: ControlPlane, objs: KubeObject[]): Promise<string> {
  await cp.applyAll(kustomizeBuild(join(ROOT, 'deploy', 'base')));
  const namespaces = objs.filter((o) => o.kind === 'Namespace');
  await cp.applyAll(namespaces);
  for (const ns of namespaces.map((o) => o.metadata.name)) {
    await waitFor(`ServiceAccount ${ns}/default`, async () => ((await cp.api('GET', `/api/v1/namespaces/${ns}/serviceaccounts/default`)).status === 200 ? true : undefined));
  }
  await cp.applyAll(objs.filter((o) => o.kind !== 'Namespace'));
  for (const o of objs.filter((x) => x.kind === 'Ingress')) await publishIngressAddress(cp, o.metadata.namespace!, o.metadata.name);
  return cp.createServiceAccountToken('chainboard', 'chainboard');
}

/** One kubeconfig with a context per control plane, each with its own CA and token, as kubectl users keep them. */
function twoContexts(clusters: { name: string; cp: ControlPlane; token: string }[]): string {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  return toYaml({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: clusters.map(({ name, cp }) => ({ name, cluster: { server: cp.server, 'certificate-authority-data': b64(cp.caCert) } })),
    users: clusters.map(({ name, token }) => ({ name: `chainboard@${name}`, user: { token } })),
    contexts: clusters.map(({ name }) => ({ name, context: { cluster: name, user: `chainboard@${name}` } })),
    'current-context': clusters[0]!.name,
    preferences: {},
  });
}

const hostsOf = (c: ClusterState | undefined) => (c?.result?.domains ?? []).map((d) => d.host).sort();
const allHealthy = (c: ClusterState | undefined) => !!c?.result && c.result.domains.every((d) => d.health === 'healthy');
const fresh = (c: ClusterState | undefined) => !!c && c.sync.ready && !c.sync.stale && c.sync.kinds.every((k) => k.state === 'synced');

function describeClusters(s: AnalysisSource): string {
  return s
    .clusters()
    .map((c) => `${c.name}: ready=${c.sync.ready} stale=${c.sync.stale ? c.sync.stale.error : 'no'} kinds not synced=${c.sync.kinds.filter((k) => k.state !== 'synced').map((k) => `${k.kind}:${k.state}`).join(',') || 'none'} domains=${c.result?.domains.map((d) => `${d.host}:${d.health}`).join(',') ?? 'none'}${c.notReadyReason ? ` (${c.notReadyReason})` : ''}`)
    .join('; ');
}

describe('Chainboard over two real control planes', () => {
  let east: ControlPlane | undefined;
  let west: ControlPlane | undefined;
  let dir = '';
  let kubeconfig = '';
  let source: AnalysisSource | undefined;
  let api: ApiService;

  before(
    async () => {
      // Both at once: each is its own etcd, kube-apiserver, controllers and kwok on ports of its own.
      const started = await Promise.allSettled([startControlPlane(), startControlPlane()]);
      [east, west] = started.map((s) => (s.status === 'fulfilled' ? s.value : undefined));
      const failed = started.find((s) => s.status === 'rejected');
      if (failed) throw (failed as PromiseRejectedResult).reason;
      const [eastToken, westToken] = await Promise.all([install(east!, environments()), install(west!, westEnvironments())]);
      dir = mkdtempSync(join(tmpdir(), 'chainboard-clusters-'));
      kubeconfig = join(dir, 'kubeconfig');
      writeFileSync(
        kubeconfig,
        twoContexts([
          { name: 'east', cp: east!, token: eastToken },
          { name: 'west', cp: west!, token: westToken },
        ]),
        { mode: 0o600 },
      );
    },
    { timeout: 300_000 },
  );
  after(async () => {
    await source?.stop();
    await Promise.all([east?.stop(), west?.stop()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const live = () => {
    assert.ok(source, "Chainboard's live source runs");
    return source;
  };
  const cluster = (name: string) => live().clusters().find((c) => c.name === name);
  const until = (what: string, pred: () => boolean, t: TestContext, timeoutMs = 60_000) => {
    const t0 = Date.now();
    return waitFor(what, () => pred(), { timeoutMs }).then(
      () => t.diagnostic(`${what}: ${Date.now() - t0} ms`),
      (e: Error) => {
        throw new Error(`${e.message}; ${describeClusters(live())}`);
      },
    );
  };

  it("serves both clusters' domains, each named by its cluster, from one live source over two contexts", { timeout: 120_000 }, async (t) => {
    assert.ok(east && west, 'both control planes started');
    source = await createSource(parseConfig({ CHAINBOARD_PROBE: 'off', CHAINBOARD_HISTORY: 'off' }, { kubeconfig, contexts: ['east', 'west'] }), {
      log: (m) => VERBOSE && console.error(`chainboard: ${m}`),
      now: () => new Date(),
    });
    api = createApiService(async () => live());
    await until('every domain of both clusters healthy', () => allHealthy(cluster('east')) && allHealthy(cluster('west')) && hostsOf(cluster('east')).length === 4 && hostsOf(cluster('west')).length === 2, t, 90_000);
    assert.deepEqual(live().clusters().map((c) => c.name), ['east', 'west']);
    assert.deepEqual(hostsOf(cluster('east')), EAST_HOSTS);
    assert.deepEqual(hostsOf(cluster('west')), WEST_HOSTS);

    const list = await api.getDomains({ limit: '100' });
    assert.ok(list.ok);
    assert.deepEqual(
      list.data.domains.map((d) => `${d.cluster} ${d.host}`).sort(),
      [...EAST_HOSTS.map((h) => `east ${h}`), ...WEST_HOSTS.map((h) => `west ${h}`)].sort(),
      'a row per cluster serving a host, each naming its cluster',
    );
    const initech = await api.getDomain(INITECH_HOST);
    assert.ok(initech.ok && initech.data.domain.cluster === 'west' && initech.data.domain.namespace === INITECH_NS);
    const seed = await api.getDomain(SEED_HOST);
    assert.ok(seed.ok);
    assert.deepEqual(seed.data.servedBy?.map((s) => [s.cluster, s.health]), [['east', 'healthy'], ['west', 'healthy']], 'the seed is served by both');
    const overview = await api.getOverview();
    assert.ok(overview.ok);
    assert.deepEqual(overview.data.sync.clusters?.map((c) => [c.name, c.ready, !!c.stale]), [['east', true, false], ['west', true, false]]);

    // The CLI over the same two contexts: the same domains, each with its cluster.
    const cli = await chainboardCheck(['--kubeconfig', kubeconfig, '--context', 'east', '--context', 'west', '--no-probe']);
    assert.deepEqual(cli.json.errors, []);
    assert.deepEqual(cli.json.clusters, [{ name: 'east', ok: true }, { name: 'west', ok: true }]);
    assert.deepEqual(cli.json.domains.map((d) => `${d.cluster} ${d.host} ${d.health}`).sort(), list.data.domains.map((d) => `${d.cluster} ${d.host} healthy`).sort());
    assert.equal(cli.exit, 0);
  });

  it('turns only west stale when its kube-apiserver goes away, keeping its last data, while east stays live', { timeout: 120_000 }, async (t) => {
    assert.ok(east && west);
    const westBefore = cluster('west')!.result;
    assert.ok(westBefore);
    // SIGKILL: every connection resets, as when a cluster's API becomes unreachable.
    await west.stopApiServer({ crash: true });
    await until('west marked stale', () => !!cluster('west')?.sync.stale, t, 30_000);
    const w = cluster('west')!;
    assert.equal(w.result, westBefore, "west's last good analysis is kept, not blanked");
    assert.deepEqual(hostsOf(w), WEST_HOSTS);
    assert.ok(w.sync.kinds.some((k) => k.state === 'disconnected'));
    assert.ok(fresh(cluster('east')), `east is not stale: ${describeClusters(live())}`);

    // East is live, not merely unmarked: a domain added there during west's outage shows, and west stays stale.
    const extra = ingress(ACME_NS, 'during-outage', [{ host: 'outage.acme.example', service: 'shop', port: { name: 'web' } }], { tls: true });
    await east.apply(extra);
    await publishIngressAddress(east, ACME_NS, 'during-outage');
    await until('the new east domain shown', () => hostsOf(cluster('east')).includes('outage.acme.example') && allHealthy(cluster('east')), t);
    assert.ok(cluster('west')!.sync.stale, 'west is still stale');
    assert.ok(fresh(cluster('east')));

    const overview = await api.getOverview();
    assert.ok(overview.ok);
    assert.deepEqual(overview.data.sync.clusters?.map((c) => [c.name, !!c.stale]), [['east', false], ['west', true]]);
    assert.match(overview.data.sync.stale?.error ?? '', /^west: /, 'the summed-up sync names the stale cluster');
    assert.deepEqual(
      [...new Set(overview.data.namespaces.filter((r) => r.cluster === 'west').map((r) => r.name))].sort(),
      [INITECH_NS, SEED_NS],
      "west's environments are still listed, with their last data",
    );

    // The CLI reports west on its own, exit 3, and still prints east.
    const cli = await chainboardCheck(['--kubeconfig', kubeconfig, '--context', 'east', '--context', 'west', '--no-probe']);
    assert.deepEqual(cli.json.clusters, [{ name: 'east', ok: true }, { name: 'west', ok: false }]);
    assert.deepEqual(cli.json.domains.map((d) => d.host).sort(), [...EAST_HOSTS, 'outage.acme.example'].sort());
    assert.ok(cli.json.domains.every((d) => d.cluster === 'east'));
    assert.equal(cli.json.errors.length, 1);
    const [error] = cli.json.errors;
    assert.equal(error?.cluster, 'west');
    assert.match(error?.type === 'source' ? error.message : '', new RegExp(`^cannot reach the cluster at west \\(${west.server.replace(/[.:/]/g, '\\$&')}\\): `));
    assert.equal(cli.exit, 3);
  });

  it('brings west back fresh on its own once its kube-apiserver is back, and follows changes there again', { timeout: 120_000 }, async (t) => {
    assert.ok(east && west);
    await west.startApiServer();
    await until('west fresh again', () => fresh(cluster('west')) && allHealthy(cluster('west')), t, 90_000);
    assert.deepEqual(hostsOf(cluster('west')), WEST_HOSTS);
    const extra = ingress(INITECH_NS, 'after-outage', [{ host: 'wiki.initech.example', service: 'intranet', port: { name: 'http' } }], { tls: true });
    await west.apply(extra);
    await publishIngressAddress(west, INITECH_NS, 'after-outage');
    await until('the new west domain shown', () => hostsOf(cluster('west')).includes('wiki.initech.example') && allHealthy(cluster('west')), t);
    assert.ok(fresh(cluster('east')), 'east stayed fresh throughout');
    const overview = await api.getOverview();
    assert.ok(overview.ok);
    assert.equal(overview.data.sync.stale, undefined);
    assert.deepEqual(overview.data.sync.clusters?.map((c) => [c.name, c.ready, !!c.stale]), [['east', true, false], ['west', true, false]]);
  });
});
