/**
 * Chainboard against a real Kubernetes control plane: deploy/ installed
 * server-side, three client environments, Chainboard's live source reading with the token of deploy/'s
 * ServiceAccount, every link of the chain broken for real and repaired, a kube-apiserver restart,
 * identities without (enough) rights, the namespace-scoped install, and the audit log proving that
 * Chainboard never writes. One control plane for the whole file. Needs the binaries:
 * `bash e2e/cluster/build.sh` (see README.md).
 *
 *   node --conditions=react-server --import tsx --test e2e/cluster/suite.test.ts
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it, type TestContext } from 'node:test';
import { createRuntime, type Runtime } from '../../lib/cluster/runtime';
import type { StoreView } from '../../lib/cluster/store';
import type { DomainChain, Health } from '../../lib/model/chain';
import { createApp } from '../../lib/server/app';
import { parseConfig } from '../../lib/server/config';
import {
  ACME_HOST,
  ACME_NS,
  environments,
  GLOBEX_API,
  GLOBEX_NS,
  GLOBEX_WWW,
  ingress,
  ingressClass,
  publishIngressAddress,
  SEED_HOST,
  SEED_NS,
  seedService,
} from './environments';
import type { AuditEvent } from './audit';
import { NOT_READY_LABEL } from './components';
import { startControlPlane, type ControlPlane } from './harness';
import { kustomizeBuild, resourcePath, type KubeObject } from './objects';
import { waitFor } from './wait';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CHAINBOARD_USER = 'system:serviceaccount:chainboard:chainboard';
const READ_VERBS = ['get', 'list', 'watch'];
/** How long a change may take to show: controllers, kwok, the watch, the store's debounce. */
const BOUND_MS = 60_000;
const VERBOSE = process.env.CHAINBOARD_E2E_VERBOSE === '1';

// ---------------------------------------------------------------------------------------------------
// Chainboard's runtime, as the app creates it (lib/cluster/runtime.ts), with a token's kubeconfig

const runtimes = new Set<Runtime>();

function startChainboard(cp: ControlPlane, token: string, namespaces?: string[]): Runtime {
  const rt = createRuntime(
    { kubeconfig: cp.kubeconfigForToken(token), namespaces, namespacePrefix: 'hst-', withSecrets: false },
    { log: (m) => VERBOSE && console.error(`chainboard: ${m}`) },
  );
  runtimes.add(rt);
  return rt;
}

async function stopChainboard(rt: Runtime): Promise<void> {
  runtimes.delete(rt);
  await rt.stop();
}

const codes = (d: DomainChain) => [...new Set(d.findings.map((f) => f.code))].sort();
const domainOf = (v: StoreView, host: string) => v.result?.domains.find((d) => d.host === host);

function describeView(v: StoreView): string {
  const kinds = v.kinds.filter((k) => k.state !== 'synced').map((k) => `${k.kind}${k.namespace ? ` in ${k.namespace}` : ''}: ${k.state}`);
  const domains = (v.result?.domains ?? []).map((d) => `${d.host} ${d.health} [${codes(d).join(', ')}]`);
  return `ready=${v.ready}, stale=${v.stale ? 'yes' : 'no'}; kinds not synced: ${kinds.join(', ') || 'none'}; domains: ${domains.join('; ') || 'none'}`;
}

/**
 * Polls the store's view (never sleeps as an assertion) until `pred` holds; the error shows the last
 * view. `abort` names a reason to fail at once. With a test context, notes how long it took.
 */
async function until(
  rt: Runtime,
  what: string,
  pred: (v: StoreView) => boolean,
  opts: { timeoutMs?: number; t?: TestContext; abort?: () => string | undefined } = {},
): Promise<StoreView> {
  const t0 = Date.now();
  const v = await waitFor(
    what,
    () => {
      const v = rt.store.getResult();
      if (pred(v)) return v;
      throw new Error(`last view: ${describeView(v)}`);
    },
    { timeoutMs: opts.timeoutMs ?? BOUND_MS, intervalMs: 100, abort: opts.abort },
  );
  opts.t?.diagnostic(`${what}: ${Date.now() - t0} ms`);
  return v;
}

/**
 * `ready`, when given, is the number of ready endpoints every route of the host must count: a domain is
 * already healthy with 2 of its Deployment's 3 Pods ready, so "healthy" alone does not mean "rolled out"
 * (a CI run once asserted the seed's counts between the second and the third endpoint).
 */
type Expected = Record<string, { health: Health; codes: string[]; ready?: number }>;

/** Every host of `expected` has exactly that health and those finding codes; with `exact`, no other host. */
function matches(expected: Expected, exact = true): (v: StoreView) => boolean {
  return (v) => {
    const domains = v.result?.domains ?? [];
    if (exact && domains.map((d) => d.host).sort().join() !== Object.keys(expected).sort().join()) return false;
    return Object.entries(expected).every(([host, e]) => {
      const d = domains.find((x) => x.host === host);
      if (d === undefined || d.health !== e.health || codes(d).join() !== e.codes.join()) return false;
      return e.ready === undefined || d.routes.every((r) => r.service?.counts.ready === e.ready && r.service?.counts.total === e.ready);
    });
  };
}

const HEALTHY: Expected = {
  // The seed: a Traefik ACME resolver manages the certificate, so the missing my-app-tls is not a fault.
  [SEED_HOST]: { health: 'healthy', codes: ['tls.managed-by-resolver'], ready: 3 },
  [ACME_HOST]: { health: 'healthy', codes: ['tls.managed-by-resolver'], ready: 2 },
  [GLOBEX_WWW]: { health: 'healthy', codes: ['service.single-endpoint'], ready: 1 },
  [GLOBEX_API]: { health: 'healthy', codes: [], ready: 2 },
};

/** HEALTHY with the seed domain replaced. */
const seedIs = (health: Health, seedCodes: string[]): Expected => ({ ...HEALTHY, [SEED_HOST]: { health, codes: [...seedCodes, 'tls.managed-by-resolver'].sort() } });

// ---------------------------------------------------------------------------------------------------
// RBAC checks, asked by the admin (SubjectAccessReview) so that the audit log of a ServiceAccount holds
// only the requests of the live source itself

async function can(cp: ControlPlane, serviceAccount: string, attrs: Record<string, string>): Promise<boolean> {
  const [ns] = serviceAccount.split(':');
  const r = await cp.api<{ status?: { allowed?: boolean } }>('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SubjectAccessReview',
    spec: {
      user: `system:serviceaccount:${serviceAccount}`,
      groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'],
      resourceAttributes: attrs,
    },
  });
  assert.equal(r.status, 201, r.text);
  return r.body.status?.allowed === true;
}

// ---------------------------------------------------------------------------------------------------
// Admin actions

async function must(cp: ControlPlane, method: string, path: string, body?: unknown, contentType?: string): Promise<unknown> {
  const r = await cp.api(method, path, body, contentType);
  assert.ok(r.status >= 200 && r.status < 300, `${method} ${path}: HTTP ${r.status}: ${r.text.slice(0, 300)}`);
  return r.body;
}

const remove = (cp: ControlPlane, obj: KubeObject) => must(cp, 'DELETE', resourcePath(obj));
const scale = (cp: ControlPlane, ns: string, name: string, replicas: number) =>
  must(cp, 'PATCH', `/apis/apps/v1/namespaces/${ns}/deployments/${name}/scale`, { spec: { replicas } }, 'application/merge-patch+json');

interface SliceList {
  items: { ports?: { name?: string; port?: number }[] | null; endpoints?: { conditions?: { ready?: boolean } }[] | null }[];
}
const slicesOf = async (cp: ControlPlane, ns: string, svc: string) =>
  (await must(cp, 'GET', `/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3D${svc}`)) as SliceList;

// ---------------------------------------------------------------------------------------------------

describe('Chainboard against a real control plane', () => {
  let cp: ControlPlane | undefined;
  /** The live source with the deploy/base ServiceAccount's token (cluster-wide). */
  let main: Runtime | undefined;
  let chainboardToken = '';
  let deployBase: KubeObject[] = [];

  before(
    async () => {
      cp = await startControlPlane();
    },
    { timeout: 300_000 },
  );
  after(async () => {
    for (const rt of [...runtimes]) await stopChainboard(rt).catch(() => {});
    await cp?.stop();
  });

  const control = () => {
    assert.ok(cp, 'the control plane started');
    return cp;
  };
  const live = () => {
    assert.ok(main, "Chainboard's live source runs");
    return main;
  };

  it('installs deploy/base server-side and three hst-* environments', { timeout: 120_000 }, async (t) => {
    const c = control();
    deployBase = kustomizeBuild(join(ROOT, 'deploy', 'base'));
    await c.applyAll(deployBase);
    const objs = environments();
    await c.applyAll(objs.filter((o) => o.kind === 'Namespace'));
    // Pods need each namespace's "default" ServiceAccount, made by the serviceaccount controller.
    for (const ns of [SEED_NS, ACME_NS, GLOBEX_NS]) {
      await waitFor(`ServiceAccount ${ns}/default`, async () => ((await c.api('GET', `/api/v1/namespaces/${ns}/serviceaccounts/default`)).status === 200 ? true : undefined));
    }
    await c.applyAll(objs.filter((o) => o.kind !== 'Namespace'));
    // What Traefik publishes once it serves an Ingress: the status subresource, not the spec.
    for (const o of objs.filter((x) => x.kind === 'Ingress')) await publishIngressAddress(c, o.metadata.namespace!, o.metadata.name);
    const ing = (await must(c, 'GET', `/apis/networking.k8s.io/v1/namespaces/${SEED_NS}/ingresses/my-app`)) as { status?: unknown; spec?: { tls?: unknown } };
    assert.deepEqual(ing.status, { loadBalancer: { ingress: [{ ip: '127.0.0.1' }] } });
    assert.deepEqual(ing.spec?.tls, [{ hosts: [SEED_HOST], secretName: 'my-app-tls' }]);
    assert.equal((await c.api('GET', `/api/v1/namespaces/${SEED_NS}/secrets/my-app-tls`)).status, 404, 'the seed has no TLS Secret');
  });

  it("shows every domain healthy through deploy/'s ServiceAccount once the Pods are ready and the EndpointSlices made", { timeout: 150_000 }, async (t) => {
    const c = control();
    chainboardToken = await c.createServiceAccountToken('chainboard', 'chainboard');
    main = startChainboard(c, chainboardToken);
    // The first start schedules 8 Pods and makes their EndpointSlices: allow more than a single change.
    const v = await until(main, 'every domain healthy', matches(HEALTHY), { timeoutMs: 120_000, t });

    assert.deepEqual(
      v.kinds.map((k) => `${k.kind}:${k.state}`),
      ['Namespace', 'IngressClass', 'Ingress', 'Service', 'EndpointSlice', 'Pod', 'Event'].map((k) => `${k}:synced`),
      'the ClusterRole of deploy/base lets every cache list and watch',
    );
    assert.equal(v.stale, undefined);
    assert.deepEqual(
      v.result!.namespaces.map((n) => `${n.name}:${n.health}`),
      [`${ACME_NS}:healthy`, `${GLOBEX_NS}:healthy`, `${SEED_NS}:healthy`],
      'only hst-* namespaces, every one healthy (the chainboard namespace is not a client environment)',
    );

    // The seed's whole chain, as the real controllers made it.
    const seed = domainOf(v, SEED_HOST)!;
    assert.equal(seed.namespace, SEED_NS);
    assert.equal(seed.routes.length, 1);
    const route = seed.routes[0]!;
    assert.equal(route.ingressClass, 'traefik-external');
    assert.deepEqual([route.path, route.pathType], ['/', 'Prefix']);
    const svc = route.service!;
    assert.equal(svc.name, 'my-app');
    assert.deepEqual(svc.port, { name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' });
    assert.deepEqual(svc.counts, { ready: 3, notReady: 0, terminating: 0, total: 3 });
    assert.deepEqual(svc.podsWithoutEndpoint, []);
    for (const e of svc.endpoints) {
      assert.equal(e.port, 8080);
      assert.match(e.addresses[0] ?? '', /^10\.244\.\d+\.\d+$/);
      assert.equal(e.pod?.ready, true);
      assert.equal(e.pod?.phase, 'Running');
      assert.match(e.pod?.owner ?? '', /^ReplicaSet\/my-app-/);
    }
    assert.deepEqual(seed.tls.source, { type: 'resolver', resolver: 'letsencrypt', secretName: 'my-app-tls' });
    assert.deepEqual(seed.dns.loadBalancer, ['127.0.0.1']);
    assert.deepEqual(seed.dns.annotatedHostnames, [SEED_HOST]);
    assert.deepEqual(seed.gaps, []);
    // Named ports all the way (hst-acme) resolve through the real controller's EndpointSlice port names.
    const shop = domainOf(v, ACME_HOST)!.routes[0]!.service!;
    assert.deepEqual(shop.counts, { ready: 2, notReady: 0, terminating: 0, total: 2 });
    assert.ok(shop.endpoints.every((e) => e.port === 3000));
  });

  describe('each link broken for real, then repaired', () => {
    it('names a Deployment scaled to 0 as service.selector-matches-nothing, and recovers when scaled back', { timeout: 150_000 }, async (t) => {
      const c = control();
      await scale(c, SEED_NS, 'my-app', 0);
      await until(live(), 'seed down: selector matches nothing', matches(seedIs('down', ['service.selector-matches-nothing'])), { t });
      await scale(c, SEED_NS, 'my-app', 3);
      await until(live(), 'every domain healthy again', matches(HEALTHY), { t });
    });

    it('names a deleted Service as ingress.backend-service-missing, and recovers when it is re-created', { timeout: 150_000 }, async (t) => {
      const c = control();
      await remove(c, seedService());
      const v = await until(live(), 'seed down: backend Service missing', matches(seedIs('down', ['ingress.backend-service-missing'])), { t });
      assert.equal(domainOf(v, SEED_HOST)!.routes[0]!.service, undefined);
      await c.apply(seedService());
      await until(live(), 'every domain healthy again', matches(HEALTHY), { t });
    });

    it('names a targetPort number no container declares as service.target-port-unmatched (a warning: the controller still makes endpoints)', { timeout: 150_000 }, async (t) => {
      const c = control();
      await c.apply(seedService({ targetPort: 9090 }));
      const v = await until(live(), 'seed degraded: target port unmatched', matches(seedIs('degraded', ['service.target-port-unmatched'])), { t });
      // The real endpointslice controller does not check numeric target ports against container ports.
      const svc = domainOf(v, SEED_HOST)!.routes[0]!.service!;
      assert.deepEqual(svc.counts, { ready: 3, notReady: 0, terminating: 0, total: 3 });
      assert.ok(svc.endpoints.every((e) => e.port === 9090));
      assert.equal(domainOf(v, SEED_HOST)!.findings.find((f) => f.code === 'service.target-port-unmatched')?.severity, 'warning');
      await c.apply(seedService());
      await until(live(), 'every domain healthy again', matches(HEALTHY), { t });
    });

    it('names a targetPort name no container declares as service.target-port-unmatched (critical: the controller makes no endpoint for it)', { timeout: 150_000 }, async (t) => {
      const c = control();
      await c.apply(seedService({ targetPort: 'metrics' }));
      const v = await until(live(), 'seed down: named target port unmatched', matches(seedIs('down', ['service.target-port-unmatched'])), { t });
      const svc = domainOf(v, SEED_HOST)!.routes[0]!.service!;
      assert.equal(svc.counts.total, 0);
      assert.equal(svc.podsWithoutEndpoint.length, 3, 'the 3 selected Pods are shown without an endpoint');
      // Evidence from the API: no EndpointSlice of my-app carries the Service port "http" any more.
      const slices = await slicesOf(c, SEED_NS, 'my-app');
      t.diagnostic(`EndpointSlices of my-app: ${JSON.stringify(slices.items.map((x) => ({ ports: x.ports ?? null, endpoints: (x.endpoints ?? []).length })))}`);
      assert.ok(!slices.items.some((s) => (s.ports ?? []).some((p) => p.name === 'http')), JSON.stringify(slices.items));
      await c.apply(seedService());
      await until(live(), 'every domain healthy again', matches(HEALTHY), { t });
    });

    it('names one not-ready Pod (a kwok stage) as service.some-endpoints-not-ready and pod.not-ready, degraded, and recovers', { timeout: 150_000 }, async (t) => {
      const c = control();
      type PodList = { items: { metadata: { name: string; deletionTimestamp?: string }; status?: { phase?: string } }[] };
      const pods = (await must(c, 'GET', `/api/v1/namespaces/${SEED_NS}/pods?labelSelector=app%3Dmy-app`)) as PodList;
      const victim = pods.items.find((p) => !p.metadata.deletionTimestamp && p.status?.phase === 'Running')?.metadata.name;
      assert.ok(victim, `a Running Pod of my-app among ${pods.items.map((p) => p.metadata.name).join(', ')}`);
      const label = (value: string | null) =>
        must(c, 'PATCH', `/api/v1/namespaces/${SEED_NS}/pods/${victim}`, { metadata: { labels: { [NOT_READY_LABEL]: value } } }, 'application/merge-patch+json');
      await label('true');
      const v = await until(live(), 'seed degraded: one Pod not ready', matches(seedIs('degraded', ['pod.not-ready', 'service.some-endpoints-not-ready'])), { t });
      const seed = domainOf(v, SEED_HOST)!;
      assert.deepEqual(seed.routes[0]!.service!.counts, { ready: 2, notReady: 1, terminating: 0, total: 3 });
      assert.deepEqual(
        seed.findings.filter((f) => f.code === 'pod.not-ready').map((f) => f.object),
        [{ kind: 'Pod', namespace: SEED_NS, name: victim }],
      );
      await label(null);
      await until(live(), 'every domain healthy again', matches(HEALTHY), { t });
    });

    it('names a deleted IngressClass as ingress.class-unknown on every domain that uses it, and recovers', { timeout: 150_000 }, async (t) => {
      const c = control();
      await remove(c, ingressClass());
      const down = (extra: string[]) => ({ health: 'down' as const, codes: ['ingress.class-unknown', ...extra].sort() });
      await until(
        live(),
        'every domain down: class unknown',
        matches({
          [SEED_HOST]: down(['tls.managed-by-resolver']),
          [ACME_HOST]: down(['tls.managed-by-resolver']),
          [GLOBEX_WWW]: down(['service.single-endpoint']),
          [GLOBEX_API]: down([]),
        }),
        { t },
      );
      await c.apply(ingressClass());
      await until(live(), 'every domain healthy again', matches(HEALTHY), { t });
    });

    it('names a selector typo as service.selector-matches-nothing, remembers the Service change as the cause of the transition to down, and recovers', { timeout: 180_000 }, async (t) => {
      const c = control();
      // The app as the server builds it, history on (embedded PGlite in a temp dir), reading with
      // deploy/'s ServiceAccount: the recorder follows its live source into the store.
      const dataDir = mkdtempSync(join(tmpdir(), 'chainboard-history-'));
      const app = createApp(
        parseConfig({ CHAINBOARD_PROBE: 'off', CHAINBOARD_DATA_DIR: dataDir }, { kubeconfig: c.kubeconfigForToken(chainboardToken) }),
        { log: (m) => VERBOSE && console.error(`chainboard app: ${m}`) },
      );
      const since = new Date(Date.now() - 3_600_000);
      const seedHistory = () => app.history.domain(SEED_HOST, { cluster: 'default', since, until: new Date(), limit: 100 });
      try {
        await app.source();
        await waitFor('history knows the seed as healthy', async () => ((await seedHistory())?.current?.state === 'healthy' ? true : undefined));

        await c.apply(seedService({ selector: { app: 'my-ap' } }));
        await until(live(), 'seed down: selector typo', matches(seedIs('down', ['service.selector-matches-nothing'])), { t });
        const down = await waitFor('the transition to down, with the selector change before it', async () => {
          const h = await seedHistory();
          const open = h?.incidents.find((i) => i.end === undefined && i.worst === 'down');
          return open?.changesBefore.some((ch) => ch.kind === 'Service' && ch.name === 'my-app') ? { h: h!, open } : undefined;
        });
        const cause = down.open.changesBefore.find((ch) => ch.kind === 'Service' && ch.name === 'my-app')!;
        assert.deepEqual(cause.lines, ['selector app=my-app -> app=my-ap']);
        assert.ok(cause.hosts.includes(SEED_HOST));
        assert.ok(Date.parse(cause.at) <= Date.parse(down.open.start), 'the change comes before the transition');
        assert.deepEqual(down.open.codes.includes('service.selector-matches-nothing'), true);
        const last = down.h.transitions.at(-1)!;
        assert.deepEqual([last.from, last.to], ['healthy', 'down']);
        t.diagnostic(`changed ${Date.parse(down.open.start) - Date.parse(cause.at)} ms before it went down`);

        await c.apply(seedService());
        await until(live(), 'every domain healthy again', matches(HEALTHY), { t });
        const closed = await waitFor('the incident closed by the repair', async () => {
          const h = await seedHistory();
          return h?.current?.state === 'healthy' && h.incidents.some((i) => i.end !== undefined && i.worst === 'down') ? h : undefined;
        });
        assert.ok(closed.changes.some((ch) => ch.kind === 'Service' && ch.lines.includes('selector app=my-ap -> app=my-app')), 'the repair is recorded too');
        assert.equal(closed.transitions.filter((x) => x.to === 'down').length, 1, 'one transition to down, no duplicate');
      } finally {
        await app.shutdown();
        rmSync(dataDir, { recursive: true, force: true });
      }
    });
  });

  it("reads with deploy/base's ClusterRole alone: its only binding, every request allowed, only the kinds it grants", { timeout: 60_000 }, async (t) => {
    const c = control();
    type Binding = { metadata: { name: string; namespace?: string }; roleRef: { kind: string; name: string }; subjects?: { kind: string; name: string; namespace?: string }[] };
    const isChainboard = (b: Binding) => (b.subjects ?? []).some((s) => s.kind === 'ServiceAccount' && s.name === 'chainboard' && s.namespace === 'chainboard');
    const crbs = ((await must(c, 'GET', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings')) as { items: Binding[] }).items.filter(isChainboard);
    const rbs = ((await must(c, 'GET', '/apis/rbac.authorization.k8s.io/v1/rolebindings')) as { items: Binding[] }).items.filter(isChainboard);
    assert.deepEqual(crbs.map((b) => `${b.metadata.name} -> ${b.roleRef.kind}/${b.roleRef.name}`), ['chainboard-reader -> ClusterRole/chainboard-reader']);
    assert.deepEqual(rbs, []);
    // The ClusterRole in the cluster is the one deploy/base defines.
    const want = deployBase.find((o) => o.kind === 'ClusterRole' && o.metadata.name === 'chainboard-reader');
    const have = (await must(c, 'GET', '/apis/rbac.authorization.k8s.io/v1/clusterroles/chainboard-reader')) as { rules?: unknown };
    assert.ok(want);
    assert.deepEqual(have.rules, want.rules);

    const events = await c.auditEvents(CHAINBOARD_USER);
    assert.ok(events.length > 0, 'the audit log holds the live source requests');
    assert.deepEqual(events.filter((e) => (e.responseStatus?.code ?? 200) >= 400).map(show), [], 'no request was refused or failed');
    assert.deepEqual(events.filter((e) => !READ_VERBS.includes(e.verb)).map(show), [], 'only get/list/watch');
    const granted = new Set((want.rules as { apiGroups: string[]; resources: string[] }[]).flatMap((r) => r.apiGroups.flatMap((g) => r.resources.map((res) => `${g}/${res}`))));
    const used = new Set(events.map((e) => `${e.objectRef?.apiGroup ?? ''}/${e.objectRef?.resource ?? ''}`));
    assert.deepEqual([...used].filter((u) => !granted.has(u)), [], 'only kinds the ClusterRole grants');
    assert.deepEqual(
      [...used].sort(),
      ['/events', '/namespaces', '/pods', '/services', 'discovery.k8s.io/endpointslices', 'networking.k8s.io/ingressclasses', 'networking.k8s.io/ingresses'],
    );
  });

  it('keeps the last good data marked stale while kube-apiserver restarts, and resumes its watches without a restart of its own', { timeout: 180_000 }, async (t) => {
    const c = control();
    const rt = live();
    assert.equal(rt.store.getResult().stale, undefined);
    const t0 = Date.now();
    // SIGTERM: kube-apiserver stops listening at once; its open watches end when it exits.
    const restart = c.restartApiServer({ downMs: 5_000 });
    let restarted = false;
    void restart.then(
      () => (restarted = true),
      () => (restarted = true),
    );
    const down = await until(
      rt,
      'the view marked stale while kube-apiserver is down',
      (v) => v.stale !== undefined,
      { t, abort: () => (restarted ? `kube-apiserver came back before Chainboard marked its data stale: ${describeView(rt.store.getResult())}` : undefined) },
    );
    t.diagnostic(`stale: ${down.stale?.error}`);
    // The last good data stays, marked stale, with the reason; no kind is taken for forbidden or missing.
    assert.equal(down.ready, true);
    assert.ok(matches(HEALTHY)(down), describeView(down));
    assert.ok(down.kinds.some((k) => k.state === 'disconnected'), describeView(down));
    assert.ok(down.kinds.every((k) => k.state === 'disconnected' || k.state === 'synced'), describeView(down));
    assert.ok(down.stale && down.stale.error.length > 0 && !Number.isNaN(Date.parse(down.stale.since)));
    await restart;
    t.diagnostic(`kube-apiserver ready again ${Date.now() - t0} ms after the stop began`);

    // A change made right after the restart (while the caches may still back off) shows: the watches resume.
    const fresh = ingress(ACME_NS, 'after-restart', [{ host: 'new.acme.example', service: 'shop', port: { name: 'web' } }], { tls: true });
    try {
      await c.apply(fresh);
      await publishIngressAddress(c, ACME_NS, 'after-restart');
      await until(
        rt,
        'stale cleared, every kind synced, and the new domain shown',
        (v) =>
          v.stale === undefined &&
          v.kinds.every((k) => k.state === 'synced') &&
          matches({ ...HEALTHY, 'new.acme.example': { health: 'healthy', codes: ['tls.managed-by-resolver'] } })(v),
        { timeoutMs: 90_000, t },
      );
      assert.equal(runtimes.has(rt), true, 'the same live source, not a new one');
    } finally {
      await remove(c, fresh);
    }
    await until(rt, 'the removed domain gone again', matches(HEALTHY), { t });
  });

  /** The views around the crash, for the syncedAt check after it. */
  let crash: { down: StoreView; back: StoreView } | undefined;

  it('marks the data stale at once when kube-apiserver crashes, and is fresh again once it is back', { timeout: 120_000 }, async (t) => {
    const c = control();
    const rt = live();
    await c.stopApiServer({ crash: true });
    let down: StoreView;
    try {
      // SIGKILL resets every connection: stale right away, while the apiserver is still down.
      down = await until(rt, 'the view marked stale after the crash', (v) => v.stale !== undefined, { timeoutMs: 20_000, t });
      assert.ok(matches(HEALTHY)(down), describeView(down));
      assert.equal((await c.api('GET', '/readyz').catch(() => undefined)) === undefined, true, 'kube-apiserver is still down');
    } finally {
      await c.startApiServer();
    }
    // No object changes on the way back: recovery must come from the watches reconnecting alone.
    const back = await until(rt, 'stale cleared and every kind synced again', (v) => v.stale === undefined && v.kinds.every((k) => k.state === 'synced') && matches(HEALTHY)(v), {
      timeoutMs: 90_000,
      t,
    });
    crash = { down, back };
    // Still live: a change after the recovery shows.
    await scale(c, GLOBEX_NS, 'www', 2);
    await until(rt, 'www.globex.example with two endpoints', matches({ ...HEALTHY, [GLOBEX_WWW]: { health: 'healthy', codes: [] } }), { t });
    await scale(c, GLOBEX_NS, 'www', 1);
    await until(rt, 'www.globex.example back to one endpoint', matches(HEALTHY), { t });
  });

  it(
    'moves syncedAt past the outage once every watch is back',
    { timeout: 10_000 },
    () => {
      assert.ok(crash, 'the crash test ran');
      const { down, back } = crash;
      const since = (v: StoreView) => v.kinds.map((k) => `${k.kind}:${k.state === 'synced' ? k.since : k.state}`).join(' ');
      assert.ok(
        back.syncedAt !== undefined && Date.parse(back.syncedAt) > Date.parse(down.stale!.since),
        `stale cleared and every kind synced again, but syncedAt ${back.syncedAt} is before the outage began (${down.stale!.since}); kinds synced again at: ${since(back)}`,
      );
    },
  );

  it('with a ServiceAccount without rights: every kind forbidden and named, nothing shown healthy, no crash', { timeout: 90_000 }, async (t) => {
    const c = control();
    await c.apply({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'nobody', namespace: 'default' } });
    const token = await c.createServiceAccountToken('default', 'nobody');

    // Cluster-wide: nothing can be listed, so there is no client environment to show, and the view says why.
    const wide = startChainboard(c, token);
    const v = await until(wide, 'settled with every kind forbidden', (x) => x.ready && x.kinds.every((k) => k.state === 'forbidden'), { t });
    for (const k of v.kinds) {
      assert.ok(k.state === 'forbidden' && /forbidden/.test(k.message) && k.message.includes('system:serviceaccount:default:nobody'), JSON.stringify(k));
    }
    assert.deepEqual(v.result?.domains, []);
    assert.deepEqual(v.result?.namespaces, []);
    await stopChainboard(wide);

    // With a namespace list (as the namespaced install runs): the environment is shown `unknown`, each
    // forbidden kind named in its findings.
    const listed = startChainboard(c, token, [SEED_NS]);
    const w = await until(listed, 'the listed namespace analysed as unknown', (x) => x.ready && x.result?.namespaces.length === 1, { t });
    const ns = w.result!.namespaces[0]!;
    assert.equal(ns.name, SEED_NS);
    assert.equal(ns.health, 'unknown');
    assert.deepEqual(w.result!.domains, [], 'Ingresses are unreadable: no domain can be named');
    assert.deepEqual(
      ns.findings.filter((f) => f.code === 'data.forbidden').map((f) => f.object.kind).sort(),
      ['EndpointSlice', 'Event', 'Ingress', 'IngressClass', 'Pod', 'Service'],
    );
    await stopChainboard(listed);
  });

  it('with read rights on everything but Pods: the domain is unknown, naming the forbidden kind', { timeout: 90_000 }, async (t) => {
    const c = control();
    const rules = [
      { apiGroups: [''], resources: ['services', 'events'], verbs: READ_VERBS },
      { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: READ_VERBS },
      { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: READ_VERBS },
    ];
    await c.applyAll([
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'no-pods', namespace: SEED_NS } },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'no-pods', namespace: SEED_NS }, rules },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'no-pods', namespace: SEED_NS },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'no-pods' },
        subjects: [{ kind: 'ServiceAccount', name: 'no-pods', namespace: SEED_NS }],
      },
    ]);
    const token = await c.createServiceAccountToken(SEED_NS, 'no-pods');
    await waitFor('the Role in effect', async () => ((await can(c, `${SEED_NS}:no-pods`, { verb: 'list', resource: 'services', namespace: SEED_NS })) ? true : undefined));
    const rt = startChainboard(c, token, [SEED_NS]);
    const v = await until(rt, 'the seed domain unknown, its 3 endpoints listed', (x) => {
      const d = domainOf(x, SEED_HOST);
      return d?.health === 'unknown' && d.routes[0]?.service?.counts.total === 3;
    }, { t });
    const seed = domainOf(v, SEED_HOST)!;
    assert.deepEqual(codes(seed), ['data.forbidden', 'tls.managed-by-resolver']);
    // A Role cannot grant the cluster-scoped IngressClasses: that gap is named too (it does not make the
    // domain unknown; the Pods do).
    assert.deepEqual(
      seed.findings.filter((f) => f.code === 'data.forbidden').map((f) => f.object).sort((a, b) => a.kind.localeCompare(b.kind)),
      [{ kind: 'IngressClass', namespace: SEED_NS, name: '*' }, { kind: 'Pod', namespace: SEED_NS, name: '*' }],
    );
    assert.deepEqual(seed.gaps.map((g) => `${g.reason} ${g.kind} ${g.namespace ?? '(cluster)'}`).sort(), [`forbidden IngressClass (cluster)`, `forbidden Pod ${SEED_NS}`]);
    // What is readable is still analysed: the Service and its 3 ready endpoints.
    assert.deepEqual(seed.routes[0]!.service!.counts, { ready: 3, notReady: 0, terminating: 0, total: 3 });
    await stopChainboard(rt);
  });

  describe('the namespace-scoped install (deploy/namespaced)', () => {
    let nsRuntime: Runtime | undefined;
    let namespaces: string[] = [];

    it('installs with Roles only, and reads the listed namespaces through CHAINBOARD_NAMESPACES', { timeout: 150_000 }, async (t) => {
      const c = control();
      if (main) await stopChainboard(main);
      main = undefined;
      // Switching installs: the namespaced one has no ClusterRole, so remove base's.
      await must(c, 'DELETE', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/chainboard-reader');
      await must(c, 'DELETE', '/apis/rbac.authorization.k8s.io/v1/clusterroles/chainboard-reader');
      const objs = kustomizeBuild(join(ROOT, 'deploy', 'namespaced'));
      assert.deepEqual(objs.filter((o) => o.kind.startsWith('Cluster')), [], 'no cluster-scoped RBAC in the namespaced install');
      await c.applyAll(objs);

      // The namespace list exactly as the installed Deployment sets it, parsed as the app parses it.
      type Dep = { spec: { template: { spec: { containers: { env?: { name: string; value?: string }[] }[] } } } };
      const dep = (await must(c, 'GET', '/apis/apps/v1/namespaces/chainboard/deployments/chainboard')) as Dep;
      const envVars = Object.fromEntries((dep.spec.template.spec.containers[0]?.env ?? []).map((e) => [e.name, e.value]));
      const config = parseConfig(envVars);
      namespaces = (config.cluster.mode === 'live' ? config.cluster.namespaces : undefined) ?? [];
      assert.deepEqual(namespaces, [SEED_NS, ACME_NS]);
      assert.equal(config.namespacePrefix, 'hst-');

      const token = await c.createServiceAccountToken('chainboard', 'chainboard');
      await waitFor('the Roles in effect and the ClusterRole gone', async () => {
        const ok =
          (await can(c, 'chainboard:chainboard', { verb: 'watch', resource: 'pods', namespace: SEED_NS })) &&
          (await can(c, 'chainboard:chainboard', { verb: 'list', group: 'discovery.k8s.io', resource: 'endpointslices', namespace: ACME_NS })) &&
          !(await can(c, 'chainboard:chainboard', { verb: 'list', group: 'networking.k8s.io', resource: 'ingressclasses' })) &&
          !(await can(c, 'chainboard:chainboard', { verb: 'list', resource: 'pods', namespace: GLOBEX_NS }));
        return ok ? true : undefined;
      });
      nsRuntime = startChainboard(c, token, namespaces);
      const v = await until(
        nsRuntime,
        'the listed namespaces analysed',
        (x) =>
          x.ready &&
          x.kinds.filter((k) => k.kind !== 'IngressClass').every((k) => k.state === 'synced') &&
          x.result!.domains.map((d) => d.host).sort().join() === [SEED_HOST, ACME_HOST].sort().join() &&
          (domainOf(x, SEED_HOST)?.routes[0]?.service?.counts.ready ?? 0) === 3 &&
          (domainOf(x, ACME_HOST)?.routes[0]?.service?.counts.ready ?? 0) === 2,
        { t },
      );
      // Watched per namespace; IngressClasses (cluster scope) refused, and named.
      assert.deepEqual(
        v.kinds.map((k) => `${k.kind}${k.namespace ? ` ${k.namespace}` : ''}:${k.state}`),
        [
          'Namespace:synced',
          'IngressClass:forbidden',
          ...['Ingress', 'Service', 'EndpointSlice', 'Pod', 'Event'].flatMap((k) => [`${k} ${ACME_NS}:synced`, `${k} ${SEED_NS}:synced`]),
        ],
      );
      assert.deepEqual(v.result!.namespaces.map((n) => n.name), [ACME_NS, SEED_NS], 'hst-globex is not listed, so not read');
      for (const d of v.result!.domains) {
        // Never "IngressClass missing": the class cannot be checked, not found absent.
        assert.ok(!d.findings.some((f) => f.code.startsWith('ingress.class-')), `${d.host}: ${codes(d).join(', ')}`);
        assert.notEqual(d.health, 'down', `${d.host}: ${codes(d).join(', ')}`);
      }
      for (const n of v.result!.namespaces) {
        const gap = n.findings.find((f) => f.code === 'data.forbidden' && f.object.kind === 'IngressClass');
        assert.ok(gap, `${n.name}: the unreadable IngressClasses are named (${n.findings.map((f) => f.code).join(', ')})`);
        assert.match(gap.message, /ingressclasses/);
      }
    });

    it('detects a broken link in a listed namespace, and its recovery', { timeout: 150_000 }, async (t) => {
      const c = control();
      assert.ok(nsRuntime);
      const codesOf = (v: StoreView, host: string) => (domainOf(v, host) ? codes(domainOf(v, host)!) : []);
      await scale(c, ACME_NS, 'shop', 0);
      await until(nsRuntime, 'shop down: selector matches nothing', (v) => domainOf(v, ACME_HOST)?.health === 'down' && codesOf(v, ACME_HOST).includes('service.selector-matches-nothing'), { t });
      await scale(c, ACME_NS, 'shop', 2);
      await until(nsRuntime, 'shop back', (v) => (domainOf(v, ACME_HOST)?.routes[0]?.service?.counts.ready ?? 0) === 2 && !codesOf(v, ACME_HOST).includes('service.selector-matches-nothing'), { t });
    });

    it('names the unreadable IngressClass on every domain, skips the class check, and judges the rest, as deploy/README.md says', { timeout: 30_000 }, () => {
      assert.ok(nsRuntime);
      const v = nsRuntime.store.getResult();
      for (const host of [SEED_HOST, ACME_HOST]) {
        const d = domainOf(v, host)!;
        assert.equal(d.health, 'healthy', `${host} is ${d.health} with [${codes(d).join(', ')}]`);
        assert.ok(d.gaps.some((g) => g.kind === 'IngressClass' && g.reason === 'forbidden'), `${host}: the gap is on the domain`);
        assert.ok(
          d.findings.some((f) => f.code === 'data.forbidden' && f.object.kind === 'IngressClass'),
          `${host}: a data.forbidden finding names IngressClass`,
        );
        assert.ok(!codes(d).some((c) => c.startsWith('ingress.class-')), `${host}: no class finding without the data`);
      }
    });

    it('gets the IngressClass check back with deploy/optional/ingressclass-reader, without a restart', { timeout: 120_000 }, async (t) => {
      const c = control();
      assert.ok(nsRuntime);
      const objs = kustomizeBuild(join(ROOT, 'deploy', 'optional', 'ingressclass-reader'));
      await c.applyAll(objs);
      // The forbidden cache keeps retrying (with backoff, at most 30 s apart): no restart needed.
      await until(
        nsRuntime,
        'IngressClasses readable and no gap left',
        (v) => v.kinds.every((k) => k.state === 'synced') && (v.result?.namespaces ?? []).every((n) => n.findings.length === 0 && n.gaps.length === 0),
        { timeoutMs: 75_000, t },
      );
      const listed = { [SEED_HOST]: HEALTHY[SEED_HOST]!, [ACME_HOST]: HEALTHY[ACME_HOST]! };
      await until(nsRuntime, 'the listed domains healthy', matches(listed), { t });
      await remove(c, ingressClass());
      const down = { health: 'down' as const, codes: ['ingress.class-unknown', 'tls.managed-by-resolver'] };
      await until(nsRuntime, 'the class checked again: unknown class', matches({ [SEED_HOST]: down, [ACME_HOST]: down }), { t });
      await c.apply(ingressClass());
      await until(nsRuntime, 'the listed domains healthy again', matches(listed), { t });
    });
  });

  it('never wrote: every request of the chainboard ServiceAccount in the audit log is a get, list or watch', { timeout: 60_000 }, async (t) => {
    const c = control();
    for (const rt of [...runtimes]) await stopChainboard(rt);
    const events = await c.auditEvents(CHAINBOARD_USER);
    assert.ok(events.length > 0, 'the audit log holds the requests of the chainboard ServiceAccount');
    assert.deepEqual(events.filter((e) => !READ_VERBS.includes(e.verb)).map(show), [], 'only get/list/watch');
    assert.ok(events.some((e) => e.verb === 'watch') && events.some((e) => e.verb === 'list'));
    assert.deepEqual(events.filter((e) => ['secrets', 'endpoints'].includes(e.objectRef?.resource ?? '')).map(show), [], 'neither Secrets nor v1 Endpoints');
  });
});

function show(e: AuditEvent): string {
  return `${e.verb} ${e.requestURI} -> ${e.responseStatus?.code ?? '?'}`;
}
