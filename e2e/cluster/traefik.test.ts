/**
 * A real Traefik against the real control plane: what Traefik itself serves and reports for a healthy
 * Ingress and for each of the failures its users meet most (a missing Middleware, a backend that
 * resets, a backend's own 500, no endpoints, an Ingress pinned to `web`, a missing TLS Secret), each
 * repaired and healthy again. It asserts Traefik's raw behaviour (status, body, certificate, its API),
 * the ground truth Chainboard's HTTP checks and Traefik-API reading are measured against. One control
 * plane and one Traefik for the whole file. Needs the binaries: `bash e2e/cluster/build.sh`.
 *
 *   node --conditions=react-server --import tsx --test e2e/cluster/traefik.test.ts
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startDnsServer, type DnsServer } from '../../demo/dns-server';
import type { DomainDetail } from '../../lib/api/types';
import { checkHost } from './cli';
import { startControlPlane, type ControlPlane } from './harness';
import { kustomizeBuild } from './objects';
import {
  BACKEND_HEADER,
  backendBody,
  createSite,
  probe,
  scenario,
  Site,
  startTraefik,
  TRAEFIK_DEFAULT_CERT,
  TRAEFIK_NOT_FOUND_BODY,
  type ProbeResult,
  type ScenarioId,
  type Traefik,
  type TraefikRouter,
} from './traefik';
import { waitFor } from './wait';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const NS = 'hst-traefik';
const HOST = 'shop.example.test';
/** Traefik's providers throttle (2 s by default) and its watches take a moment: a change shows within seconds. */
const BOUND_MS = 60_000;

let cp: ControlPlane;
let traefik: Traefik;
let site: Site;
/** Answers A 127.0.0.1 for the site's host: Chainboard's DNS check never asks the machine's resolver. */
let dns: DnsServer;
/** Chainboard's kubeconfig: the token of deploy/base's ServiceAccount, plus the optional Middleware reader. */
let chainboardKubeconfig: string;
/** The site's CA as a file, for --probe-ca-file: the site's own certificate is trusted, Traefik's default is not. */
let caFile: string;
let workDir: string;

/**
 * Every finding code of the scenarios: the healthy site shows none of them. The codes of the Service
 * link are not among them: a live backend is an ExternalName Service here (the apiserver refuses
 * loopback addresses in EndpointSlices, see traefik.ts), which Chainboard may report on its own.
 */
const SCENARIO_CODES: Readonly<Record<ScenarioId, readonly string[]>> = {
  // Middlewares are read (CHAINBOARD_TRAEFIK_MIDDLEWARES=1), so the missing one is named as well as the disabled router.
  'middleware-missing': ['traefik.router-error', 'traefik.middleware-missing', 'http.not-routed'],
  'backend-resets': ['http.bad-gateway'],
  'backend-error': ['http.server-error'],
  'no-endpoints': ['http.unavailable', 'traefik.service-no-servers'],
  'endpointslice-deleted': ['http.unavailable', 'traefik.service-no-servers'],
  'entrypoint-web': ['traefik.entrypoint-mismatch', 'http.not-routed'],
  'tls-secret-missing': ['tls.default-certificate'],
};
const ALL_SCENARIO_CODES = [...new Set(Object.values(SCENARIO_CODES).flat())].sort();

interface ChainboardView {
  exit: number;
  domain: DomainDetail;
  codes: string[];
}

/**
 * One `chainboard check HOST --json` against the cluster, through Traefik's websecure entrypoint and
 * with Traefik's API (`through` is the Traefik to dial and read; the file's own by default).
 */
async function chainboardView(through: Traefik = traefik): Promise<ChainboardView> {
  return checkHost(HOST, {
    kubeconfig: chainboardKubeconfig,
    traefikApi: through.apiUrl,
    through: through.websecure,
    caFile,
    dnsServer: dns.server,
    env: { CHAINBOARD_TRAEFIK_MIDDLEWARES: '1' },
  });
}

/** Every link of the host was checked: HTTP, TLS, DNS and Traefik's view, none of them "not checked". */
const allChecked = (v: ChainboardView) =>
  v.domain.http?.check.state === 'checked' && v.domain.tls.check.state === 'checked' && v.domain.dns.check.state === 'checked' && v.domain.traefik?.check.state === 'checked';

const describeView = (v: ChainboardView) =>
  `exit ${v.exit}, ${v.domain.health}, checked http=${v.domain.http?.check.state ?? '-'} tls=${v.domain.tls.check.state} dns=${v.domain.dns.check.state} traefik=${v.domain.traefik?.check.state ?? '-'}, ` +
  `http ${(v.domain.http?.probes ?? []).map((p) => (p.status === 'ok' ? `${p.statusCode} from ${p.from}` : `${p.status} ${p.errorKind}`)).join('; ') || 'none'}, ` +
  `codes [${v.codes.join(', ')}]`;

/** Runs Chainboard until its view of the host satisfies `pred` (60 s); the error names the last codes seen. */
async function waitForChainboard(what: string, pred: (v: ChainboardView) => boolean, through?: Traefik): Promise<ChainboardView> {
  let last = 'no run finished yet';
  try {
    return await waitFor(
      what,
      async () => {
        const v = await chainboardView(through);
        last = describeView(v);
        return pred(v) ? v : undefined;
      },
      { timeoutMs: BOUND_MS, intervalMs: 500 },
    );
  } catch (e) {
    throw new Error(`${(e as Error).message}; Chainboard last saw: ${last}`);
  }
}

/** Chainboard reports every one of `codes` for the host, with every link checked. */
async function waitForCodes(t: TestContext, what: string, codes: readonly string[], through?: Traefik): Promise<ChainboardView> {
  const v = await timed(t, `${what}: Chainboard reports ${codes.join(', ')}`, waitForChainboard(`Chainboard to report ${codes.join(', ')} (${what})`, (x) => allChecked(x) && codes.every((c) => x.codes.includes(c)), through));
  t.diagnostic(`${what}: Chainboard: ${describeView(v)}`);
  return v;
}

/**
 * None of `codes` for the host any more, with the HTTP check run and answered 200 by the backend (a
 * check that did not run has no findings either, which is not the same as repaired).
 */
async function waitForNoCodes(t: TestContext, what: string, codes: readonly string[]): Promise<ChainboardView> {
  const v = await timed(
    t,
    `${what}: Chainboard clear of ${codes.join(', ')}`,
    waitForChainboard(`Chainboard clear of ${codes.join(', ')} (${what})`, (x) => allChecked(x) && !codes.some((c) => x.codes.includes(c)) && x.domain.http!.probes.every((p) => p.status === 'ok' && p.statusCode === 200)),
  );
  t.diagnostic(`${what}: Chainboard: ${describeView(v)}`);
  assert.equal(v.domain.http?.check.state, 'checked', 'the HTTP check ran');
  assert.ok(v.domain.http.probes.length > 0, 'the HTTP check has a result');
  for (const c of codes) assert.ok(!v.codes.includes(c), `${c} is gone`);
  return v;
}

async function timed<T>(t: TestContext, what: string, p: Promise<T>): Promise<T> {
  const started = Date.now();
  const v = await p;
  t.diagnostic(`${what}: ${Date.now() - started} ms`);
  return v;
}

/** Polls requests through Traefik until one satisfies `pred`; the error names the last answer. */
async function waitForAnswer(what: string, pred: (r: ProbeResult) => boolean, opts: Parameters<typeof probe>[2] = {}): Promise<ProbeResult> {
  let last = 'no answer yet';
  try {
    return await waitFor(
      what,
      async () => {
        const r = await probe(traefik, HOST, opts);
        last = `${r.status} ${JSON.stringify(r.body)} cert=${r.certificate?.subjectCN ?? '-'} backend=${r.headers[BACKEND_HEADER] ?? '-'}`;
        return pred(r) ? r : undefined;
      },
      { timeoutMs: BOUND_MS },
    );
  } catch (e) {
    throw new Error(`${(e as Error).message}; last answer: ${last}\nTraefik's log:\n${traefik.logTail(15)}`);
  }
}

async function waitForRouter(what: string, pred: (r: TraefikRouter) => boolean): Promise<TraefikRouter> {
  let last = 'none';
  try {
    return await waitFor(
      what,
      async () => {
        const r = await traefik.router(site.routerName);
        last = JSON.stringify(r);
        return r !== undefined && pred(r) ? r : undefined;
      },
      { timeoutMs: BOUND_MS },
    );
  } catch (e) {
    throw new Error(`${(e as Error).message}; router ${site.routerName} last seen: ${last}`);
  }
}

/**
 * Breaks the site with the scenario, waits for the scenario's answer through Traefik and checks its
 * body and origin, runs `check` on the broken state, repairs, and waits for healthy.
 */
async function breakAndRepair(t: TestContext, id: ScenarioId, check: (r: ProbeResult) => Promise<void>): Promise<void> {
  const s = scenario(id);
  const codes = SCENARIO_CODES[id];
  const { answer } = s;
  await s.break(site);
  try {
    await observe();
  } finally {
    // Repaired even when an assertion failed, so one failure does not break the tests after it.
    await s.repair(site);
  }
  await timed(t, `${id}: healthy again`, site.waitHealthy(traefik, BOUND_MS));
  const router = await waitForRouter(`${id}: router enabled again`, (x) => x.status === 'enabled');
  assert.deepEqual(router.entryPoints, ['websecure']);
  assert.equal(router.error, undefined);
  await waitForNoCodes(t, `${id} repaired`, codes);

  async function observe(): Promise<void> {
    const r = await timed(
      t,
      `${id}: observed`,
      waitForAnswer(`${id}: ${answer.status} from ${answer.from}`, (x) => x.status === answer.status && (answer.certificate === undefined || x.certificate?.subjectCN === answer.certificate)),
    );
    if (answer.body !== undefined) assert.equal(r.body, answer.body);
    assert.equal(fromBackend(r), answer.from === 'backend', `answered by ${answer.from}`);
    if (answer.certificate === undefined) assert.equal(r.certificate?.subjectCN, HOST, "the site's own certificate");
    await check(r);
    // Traefik shows the break: now Chainboard, through the same Traefik, must name it.
    const v = await waitForCodes(t, id, codes);
    const probes = v.domain.http!.probes;
    assert.ok(probes.length > 0 && probes.every((p) => p.status === 'ok' && p.statusCode === answer.status), `Chainboard's request got ${answer.status}`);
    if (answer.from === 'traefik') {
      // Traefik's own page (its 404, 502, 503) is told apart from the backend's answer.
      assert.ok(probes.every((p) => p.status === 'ok' && p.from === 'controller'), "Chainboard saw Traefik's own page");
      assert.ok(!v.codes.includes('http.server-error'), "Traefik's own page is not read as the backend's error");
    }
  }
}

const fromBackend = (r: ProbeResult) => r.headers[BACKEND_HEADER] !== undefined;

// Each test polls Chainboard's CLI (a child process of a few seconds each) besides Traefik: the file takes
// minutes on a loaded machine, so the suite's bound is wide and each test keeps its own.
describe('a real Traefik against the real control plane, and Chainboard against both', { timeout: 1_200_000 }, () => {
  before(
    async () => {
      cp = await startControlPlane();
      traefik = await startTraefik(cp);
      site = await createSite(cp, { namespace: NS, host: HOST });
      dns = await startDnsServer({ records: { [HOST]: { A: ['127.0.0.1'] } } });
      // Chainboard installed as users install it, with the optional Middleware reader.
      await cp.applyAll([...kustomizeBuild(join(ROOT, 'deploy', 'base')), ...kustomizeBuild(join(ROOT, 'deploy', 'optional', 'traefik-middlewares'))]);
      chainboardKubeconfig = cp.kubeconfigForToken(await cp.createServiceAccountToken('chainboard', 'chainboard'));
      workDir = mkdtempSync(join(tmpdir(), 'chainboard-traefik-cli-'));
      caFile = join(workDir, 'site-ca.pem');
      writeFileSync(caFile, site.ca.certPem);
    },
    { timeout: 300_000 },
  );
  after(async () => {
    await site?.close();
    await dns?.stop();
    await traefik?.stop();
    await cp?.stop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('serves a healthy Ingress on websecure with SNI and Host, through its Middleware, with its certificate', async (t) => {
    const r = await timed(t, 'healthy', site.waitHealthy(traefik, BOUND_MS));
    assert.equal(r.status, 200);
    assert.equal(r.body, backendBody('ok', site.backends.ok.host));
    assert.equal(r.certificate?.subjectCN, HOST);
    assert.equal(r.certificate?.issuerCN, `chainboard-traefik-e2e-ca ${NS}`);

    const router = await waitForRouter('router enabled', (x) => x.status === 'enabled');
    assert.equal(router.name, site.routerName);
    assert.equal(router.provider, 'kubernetes');
    assert.equal(router.rule, `Host("${HOST}") && PathPrefix("/")`);
    assert.deepEqual(router.entryPoints, ['websecure']);
    assert.deepEqual(router.middlewares, [site.middlewareRef]);
    assert.equal(router.service, site.serviceRef.replace(/@kubernetes$/, ''));
    assert.ok(router.tls, 'the router has TLS (spec.tls)');
    const svc = await traefik.service(site.serviceRef);
    assert.equal(svc?.status, 'enabled');
    assert.deepEqual(svc?.loadBalancer?.servers?.map((s) => s.url), [`http://${site.backends.ok.host}:${site.backends.ok.port}`]);

    // Traefik publishes its address in the Ingress's status (ingressEndpoint.ip), as Chainboard reads it.
    const ing = await waitFor('Ingress status published by Traefik', async () => {
      const x = await cp.api<{ status?: { loadBalancer?: { ingress?: Array<{ ip?: string }> } } }>('GET', `/apis/networking.k8s.io/v1/namespaces/${NS}/ingresses/${site.ingressName}`);
      return x.body.status?.loadBalancer?.ingress?.[0]?.ip;
    });
    assert.equal(ing, '127.0.0.1');

    // Chainboard sees the healthy site: every link checked, the request answered 200 by the backend,
    // none of the scenarios' codes.
    const v = await waitForNoCodes(t, 'healthy', ALL_SCENARIO_CODES);
    assert.equal(v.domain.traefik?.routers[0]?.name, site.routerName);
    assert.equal(v.domain.traefik?.routers[0]?.status, 'enabled');
    assert.deepEqual(v.domain.traefik?.routers[0]?.middlewares, [{ name: site.middlewareRef, state: 'ok' }]);
    assert.equal(v.domain.dns.probe?.status, 'ok');
  });

  it('answers a host it has no router for itself: 404 "404 page not found" with its default certificate', async () => {
    const r = await probe(traefik, 'nobody.example.test');
    assert.equal(r.status, 404);
    assert.equal(r.body, TRAEFIK_NOT_FOUND_BODY);
    assert.equal(r.certificate?.subjectCN, TRAEFIK_DEFAULT_CERT);
    assert.equal(fromBackend(r), false);
  });

  it('drops the router when its Middleware is missing: disabled in the API with the error, every request 404', async (t) => {
    await breakAndRepair(t, 'middleware-missing', async () => {
      const router = await waitForRouter('router disabled', (x) => x.status === 'disabled');
      t.diagnostic(`disabled router: ${JSON.stringify(router)}`);
      assert.deepEqual(router.error, [`middleware "${site.middlewareRef}" does not exist`]);
      assert.deepEqual(router.middlewares, [site.middlewareRef]);
      // The site's own certificate is still served (breakAndRepair checks it): only the router is gone,
      // and no request reaches the backend.
      const hits = site.backends.ok.hits;
      assert.equal((await probe(traefik, HOST)).status, 404);
      assert.equal(site.backends.ok.hits, hits, 'no request reached the backend');
    });
  });

  it('answers 502 "Bad Gateway" itself when the backend resets the connection', async (t) => {
    await breakAndRepair(t, 'backend-resets', async () => {
      assert.ok(site.backends.reset.hits > 0, 'the request reached the resetting backend');
      const router = await traefik.router(site.routerName);
      assert.equal(router?.status, 'enabled', 'the router itself is fine');
    });
  });

  it("passes a backend's own 500 through unchanged", async (t) => {
    await breakAndRepair(t, 'backend-error', async (r) => {
      assert.equal(r.body, backendBody('error', site.backends.error.host));
      assert.equal(r.headers[BACKEND_HEADER], `error@${site.backends.error.host}`);
    });
  });

  for (const id of ['no-endpoints', 'endpointslice-deleted'] as const) {
    it(`answers 503 when ${scenario(id).what} (allowEmptyServices), the service listed without servers`, async (t) => {
      await breakAndRepair(t, id, async () => {
        const svc = await traefik.service(site.serviceRef);
        assert.ok(svc, 'the service is still in the API');
        assert.deepEqual(svc.loadBalancer?.servers ?? [], []);
        assert.equal((await traefik.router(site.routerName))?.status, 'enabled');
      });
    });
  }

  it("with Traefik's own default (allowEmptyServices false) drops the router instead: 404, no router in the API", async (t) => {
    // A second Traefik on the same cluster, as Traefik ships: a Service without endpoints is skipped.
    const plain = await timed(t, 'second Traefik started', startTraefik(cp, { allowEmptyServices: false }));
    const pids = plain.processes();
    try {
      await waitFor('the second Traefik serves the site', () => site.isHealthy(plain), { timeoutMs: BOUND_MS });
      await scenario('no-endpoints').break(site);
      const r = await timed(
        t,
        'router dropped',
        waitFor('404 from the second Traefik', async () => {
          const x = await probe(plain, HOST);
          return x.status === 404 ? x : undefined;
        }, { timeoutMs: BOUND_MS }),
      );
      assert.equal(r.body, TRAEFIK_NOT_FOUND_BODY);
      assert.equal(await plain.router(site.routerName), undefined, 'no router of that name in the API');
      assert.equal(await plain.service(site.serviceRef), undefined, 'no service of that name in the API');
      assert.match(readFileSync(plain.logPath, 'utf8'), /Skipping service: no endpoints found/);
      // Chainboard through this Traefik: no router for the route, and the request gets Traefik's 404.
      const v = await waitForCodes(t, 'no endpoints, allowEmptyServices false', ['traefik.router-missing', 'http.not-routed'], plain);
      assert.ok(!v.codes.includes('http.unavailable'), 'a 404, not a 503');
      // The same objects, with allowEmptyServices: the router stays and answers 503.
      assert.equal((await waitForAnswer('503 from the first Traefik', (x) => x.status === 503)).status, 503);
      await scenario('no-endpoints').repair(site);
      await timed(t, 'healthy again on the second Traefik', waitFor('second Traefik healthy again', () => site.isHealthy(plain), { timeoutMs: BOUND_MS }));
      await site.waitHealthy(traefik, BOUND_MS);
    } finally {
      await scenario('no-endpoints').repair(site);
      await plain.stop();
    }
    // Nothing of the second Traefik outlives its stop(): Traefik and its watchdog are gone.
    assert.deepEqual(pids.map((p) => p.name).sort(), ['traefik', 'watchdog']);
    for (const p of pids) assert.throws(() => process.kill(p.pid, 0), { code: 'ESRCH' }, `${p.name} (pid ${p.pid}) still runs`);
    assert.equal(existsSync(plain.dir), process.env.CHAINBOARD_E2E_KEEP === '1');
  });

  it('moves the router to web when the Ingress pins router.entrypoints: web, so every HTTPS request 404s', async (t) => {
    await breakAndRepair(t, 'entrypoint-web', async () => {
      const router = await waitForRouter('router on web only', (x) => JSON.stringify(x.entryPoints) === '["web"]');
      assert.equal(router.status, 'enabled', 'Traefik sees nothing wrong with it');
    });
  });

  it('serves its default certificate when the TLS Secret is missing, and still routes', async (t) => {
    await breakAndRepair(t, 'tls-secret-missing', async (r) => {
      assert.equal(r.body, backendBody('ok', site.backends.ok.host));
      // A client that verifies the certificate (a browser) refuses the connection.
      await assert.rejects(probe(traefik, HOST, { ca: site.ca.certPem }), /self[- ]signed|unable to verify|certificate/i);
    });
  });

  it('serves an IngressRoute for real, and Chainboard follows its chain: healthy, then its backend Service missing and its router dropped', async (t) => {
    // Chainboard may read IngressRoutes once the optional role is installed, as the README says.
    await cp.applyAll(kustomizeBuild(join(ROOT, 'deploy', 'optional', 'traefik-ingressroutes')));
    const name = `${site.name}-route`;
    const path = '/route';
    const ingressRoute = (service: string) => ({
      apiVersion: 'traefik.io/v1alpha1',
      kind: 'IngressRoute',
      metadata: { name, namespace: NS },
      spec: {
        entryPoints: ['websecure'],
        routes: [{ match: `Host(\`${HOST}\`) && PathPrefix(\`${path}\`)`, kind: 'Rule', services: [{ name: service, port: 'http' }] }],
        tls: { secretName: site.tlsSecretName },
      },
    });
    const ingressRouteView = async () => {
      const { domain, codes } = await checkHost(HOST, {
        kubeconfig: chainboardKubeconfig,
        through: traefik.websecure,
        caFile,
        dnsServer: dns.server,
        env: { CHAINBOARD_TRAEFIK_MIDDLEWARES: '1', CHAINBOARD_TRAEFIK_INGRESSROUTES: '1' },
      });
      const route = domain.routes.find((r) => r.kind === 'IngressRoute' && r.ingress === name);
      const check = domain.http?.probes.find((p) => p.route.kind === 'IngressRoute' && p.route.ingress === name);
      return { domain, route, check, codes };
    };
    const describeRoute = (v: Awaited<ReturnType<typeof ingressRouteView>>) =>
      `route ${v.route ? `${v.route.path} ${v.route.health}` : 'none'}, check ${v.check ? (v.check.status === 'ok' ? `${v.check.statusCode} from ${v.check.from}` : v.check.status) : 'none'}, codes [${v.codes.join(', ')}]`;
    const waitForRoute = async (what: string, pred: (v: Awaited<ReturnType<typeof ingressRouteView>>) => boolean) => {
      let last = 'no run yet';
      try {
        return await waitFor(what, async () => {
          const v = await ingressRouteView();
          last = describeRoute(v);
          return pred(v) ? v : undefined;
        }, { timeoutMs: BOUND_MS, intervalMs: 500 });
      } catch (e) {
        throw new Error(`${(e as Error).message}; Chainboard last saw: ${last}`);
      }
    };

    await cp.apply(ingressRoute(site.serviceName));
    try {
      // Traefik itself: the IngressRoute's router serves the path through the site's Service, with its certificate.
      const served = await waitForAnswer('the IngressRoute served', (x) => x.status === 200 && x.headers[BACKEND_HEADER] === `ok@${site.backends.ok.host}`, { path });
      assert.equal(served.certificate?.subjectCN, HOST);
      const router = await waitFor('the IngressRoute router in the API', async () => (await traefik.routers()).find((r) => r.name.startsWith(`${NS}-${name}-`) && r.name.endsWith('@kubernetescrd')), { timeoutMs: BOUND_MS });
      assert.equal(router.status, 'enabled');
      assert.equal(router.rule, `Host(\`${HOST}\`) && PathPrefix(\`${path}\`)`);

      // Chainboard: the route is the IngressRoute's, its HTTP check names it and got the backend's 200.
      const ok = await waitForRoute('Chainboard to check the IngressRoute healthy', (v) => v.route?.health === 'healthy' && v.check?.status === 'ok' && v.check.statusCode === 200);
      t.diagnostic(`healthy: ${describeRoute(ok)}`);
      assert.equal(ok.check?.status === 'ok' && ok.check.from, 'backend');
      assert.equal(ok.route?.service?.name, site.serviceName);
      assert.ok(!ok.codes.includes('ingress.backend-service-missing') && !ok.codes.includes('http.not-routed'));

      // Its backend Service renamed to one that does not exist: Traefik drops the IngressRoute's router.
      // The path still answers, through the Ingress's `/` router of the same host: that is what users get.
      await cp.apply(ingressRoute('no-such-service'));
      await waitFor('the IngressRoute router dropped from the API', async () => ((await traefik.routers()).some((r) => r.name === router.name) ? undefined : true), { timeoutMs: BOUND_MS });
      const fallthrough = await probe(traefik, HOST, { path });
      assert.equal(fallthrough.headers[BACKEND_HEADER], `ok@${site.backends.ok.host}`, "the Ingress's router answers the path now");
      const broken = await waitForRoute('Chainboard to name the missing Service on the IngressRoute', (v) => v.codes.includes('ingress.backend-service-missing') && v.route?.health === 'down');
      t.diagnostic(`broken: ${describeRoute(broken)}`);
      const missing = broken.domain!.findings.find((f) => f.code === 'ingress.backend-service-missing');
      assert.deepEqual(missing && [missing.object.kind, missing.object.name], ['IngressRoute', name]);
      assert.equal(broken.route?.health, 'down');
    } finally {
      const r = await cp.api('DELETE', `/apis/traefik.io/v1alpha1/namespaces/${NS}/ingressroutes/${name}`);
      assert.ok(r.status === 200 || r.status === 404, `DELETE IngressRoute: ${r.status}`);
    }
    // The Ingress's own route is untouched by all of it.
    await site.waitHealthy(traefik, BOUND_MS);
  });
});
