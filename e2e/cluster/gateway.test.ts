/**
 * A real Traefik serving the Gateway API on the real control plane, and Chainboard reading what it wrote.
 * The Gateway API's own CRDs (from the sigs.k8s.io/gateway-api module Traefik is built with) validate
 * every object through the real API server; Traefik's Gateway provider accepts the GatewayClass, programs
 * the Gateway's HTTPS listener, attaches the HTTPRoute and writes their status conditions; requests go
 * through Traefik's websecure entrypoint with the listener's certificate. Chainboard (`chainboard check`
 * with CHAINBOARD_GATEWAY_API and deploy/optional/gateway-api) must follow the route to its Service and
 * read the controller's verdict: a backendRef to a missing Service is `ResolvedRefs=False` written by
 * Traefik itself, and Chainboard's finding says the controller agrees.
 *
 * The backend Service has an EndpointSlice without endpoints: kube-apiserver refuses loopback addresses
 * in EndpointSlices, Traefik's Gateway provider refuses ExternalName Services, and tests send packets to
 * 127.0.0.0/8 only, so no request is ever forwarded to a Pod; Traefik answers it (503, or 500 for an
 * unresolved backend).
 *
 *   node --conditions=react-server --import tsx --test e2e/cluster/gateway.test.ts
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startDnsServer, type DnsServer } from '../../demo/dns-server';
import type { DomainDetail } from '../../lib/api/types';
import { createCa, issueCertificate, type CertificateAuthority } from '../../lib/testing/pki';
import { checkHost } from './cli';
import { namespace as namespaceObject } from './environments';
import { startControlPlane, type ControlPlane } from './harness';
import { kustomizeBuild, type KubeObject } from './objects';
import { probe, startTraefik, type ProbeResult, type Traefik } from './traefik';
import { TRAEFIK_GATEWAY_CONTROLLER } from './traefik-gateway';
import { waitFor } from './wait';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const NS = 'hst-gateway';
const HOST = 'gw.example.test';
const GATEWAY = 'public';
const ROUTE = 'shop';
const SERVICE = 'web';
const BOUND_MS = 60_000;

let cp: ControlPlane;
let traefik: Traefik;
let dns: DnsServer;
let ca: CertificateAuthority;
let workDir: string;
let caFile: string;
let chainboardKubeconfig: string;

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}
const conditionOf = (list: Condition[] | undefined, type: string) => list?.find((c) => c.type === type);

const gatewayClass = (): KubeObject => ({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'traefik' }, spec: { controllerName: TRAEFIK_GATEWAY_CONTROLLER } });

/** One HTTPS listener on Traefik's websecure port (Traefik maps a listener to the entrypoint of its port). */
const gateway = (): KubeObject => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'Gateway',
  metadata: { name: GATEWAY, namespace: NS },
  spec: {
    gatewayClassName: 'traefik',
    listeners: [{ name: 'websecure', protocol: 'HTTPS', port: traefik.websecure.port, hostname: HOST, tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: 'gw-tls' }] } }],
  },
});

const httpRoute = (service: string): KubeObject => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: { name: ROUTE, namespace: NS },
  spec: {
    parentRefs: [{ name: GATEWAY }],
    hostnames: [HOST],
    rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: service, port: 80 }] }],
  },
});

/** The route's status as Traefik wrote it for its parent Gateway. */
async function routeStatus(): Promise<Condition[] | undefined> {
  const r = await cp.api<{ status?: { parents?: Array<{ controllerName?: string; conditions?: Condition[] }> } }>('GET', `/apis/gateway.networking.k8s.io/v1/namespaces/${NS}/httproutes/${ROUTE}`);
  return r.body.status?.parents?.find((p) => p.controllerName === TRAEFIK_GATEWAY_CONTROLLER)?.conditions;
}

interface View {
  domain: DomainDetail;
  codes: string[];
}

async function chainboardView(): Promise<View> {
  return checkHost(HOST, { kubeconfig: chainboardKubeconfig, through: traefik.websecure, caFile, dnsServer: dns.server, env: { CHAINBOARD_GATEWAY_API: '1' } });
}

const describeView = (v: View) =>
  `${v.domain.health}, routes [${v.domain.routes.map((r) => `${r.kind ?? 'Ingress'} ${r.ingress} ${r.path}`).join('; ')}], http ${(v.domain.http?.probes ?? [])
    .map((p) => (p.status === 'ok' ? `${p.statusCode} from ${p.from}` : p.status))
    .join('; ') || 'none'}, codes [${v.codes.join(', ')}]`;

async function waitForChainboard(t: TestContext, what: string, pred: (v: View) => boolean): Promise<View> {
  let last = 'no run finished yet';
  try {
    const v = await waitFor(
      what,
      async () => {
        const x = await chainboardView();
        last = describeView(x);
        return pred(x) ? x : undefined;
      },
      { timeoutMs: BOUND_MS, intervalMs: 500 },
    );
    t.diagnostic(`${what}: ${describeView(v)}`);
    return v;
  } catch (e) {
    throw new Error(`${(e as Error).message}; Chainboard last saw: ${last}`);
  }
}

async function waitForAnswer(what: string, pred: (r: ProbeResult) => boolean): Promise<ProbeResult> {
  let last = 'no answer yet';
  try {
    return await waitFor(
      what,
      async () => {
        const r = await probe(traefik, HOST, { ca: ca.certPem });
        last = `${r.status} ${JSON.stringify(r.body)} cert=${r.certificate?.subjectCN ?? '-'}`;
        return pred(r) ? r : undefined;
      },
      { timeoutMs: BOUND_MS },
    );
  } catch (e) {
    throw new Error(`${(e as Error).message}; last answer: ${last}\nTraefik's log:\n${traefik.logTail(20)}`);
  }
}

describe("a real Traefik's Gateway provider against the real control plane, and Chainboard reading its status", { timeout: 900_000 }, () => {
  before(
    async () => {
      cp = await startControlPlane();
      traefik = await startTraefik(cp, { gateway: true });
      ca = await createCa({ name: `CN=chainboard-gateway-e2e-ca ${NS}` });
      const leaf = await issueCertificate(ca, { dns: [HOST] });
      workDir = mkdtempSync(join(tmpdir(), 'chainboard-gateway-e2e-'));
      caFile = join(workDir, 'ca.pem');
      writeFileSync(caFile, ca.certPem);
      dns = await startDnsServer({ records: { [HOST]: { A: ['127.0.0.1'] } } });
      await cp.applyAll([
        namespaceObject(NS),
        { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'gw-tls', namespace: NS }, type: 'kubernetes.io/tls', stringData: { 'tls.crt': leaf.cert, 'tls.key': leaf.key } },
        { apiVersion: 'v1', kind: 'Service', metadata: { name: SERVICE, namespace: NS }, spec: { type: 'ClusterIP', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] } },
        {
          apiVersion: 'discovery.k8s.io/v1',
          kind: 'EndpointSlice',
          metadata: { name: `${SERVICE}-0`, namespace: NS, labels: { 'kubernetes.io/service-name': SERVICE } },
          addressType: 'IPv4',
          ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
          endpoints: [],
        },
        gatewayClass(),
        gateway(),
        httpRoute(SERVICE),
      ]);
      // Chainboard installed as users install it, with the optional Gateway API reader.
      await cp.applyAll([...kustomizeBuild(join(ROOT, 'deploy', 'base')), ...kustomizeBuild(join(ROOT, 'deploy', 'optional', 'gateway-api'))]);
      chainboardKubeconfig = cp.kubeconfigForToken(await cp.createServiceAccountToken('chainboard', 'chainboard'));
    },
    { timeout: 300_000 },
  );
  after(async () => {
    await dns?.stop();
    await traefik?.stop();
    await cp?.stop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('refuses an HTTPRoute the Gateway API schema rejects, as the real API server validates it', async () => {
    const bad = httpRoute(SERVICE);
    (bad.spec as { rules: { backendRefs: { port: number }[] }[] }).rules[0]!.backendRefs[0]!.port = 70_000;
    const r = await cp.api('POST', `/apis/gateway.networking.k8s.io/v1/namespaces/${NS}/httproutes`, { ...bad, metadata: { name: 'bad', namespace: NS } });
    assert.equal(r.status, 422, `expected 422, got ${r.status}: ${JSON.stringify(r.body)}`);
  });

  it('accepts the GatewayClass, programs the listener, attaches the route, and answers with the listener’s certificate', async (t) => {
    const cls = await waitFor('GatewayClass Accepted', async () => {
      const r = await cp.api<{ status?: { conditions?: Condition[] } }>('GET', '/apis/gateway.networking.k8s.io/v1/gatewayclasses/traefik');
      return conditionOf(r.body.status?.conditions, 'Accepted')?.status === 'True' ? r.body : undefined;
    }, { timeoutMs: BOUND_MS });
    assert.ok(cls);
    const gw = await waitFor('Gateway Programmed', async () => {
      const r = await cp.api<{ status?: { conditions?: Condition[]; addresses?: { value?: string }[]; listeners?: { name: string; attachedRoutes?: number; conditions?: Condition[] }[] } }>(
        'GET',
        `/apis/gateway.networking.k8s.io/v1/namespaces/${NS}/gateways/${GATEWAY}`,
      );
      const l = r.body.status?.listeners?.[0];
      return conditionOf(r.body.status?.conditions, 'Programmed')?.status === 'True' && l?.attachedRoutes === 1 ? r.body.status : undefined;
    }, { timeoutMs: BOUND_MS });
    assert.equal(conditionOf(gw.listeners?.[0]?.conditions, 'Programmed')?.status, 'True');
    assert.deepEqual(gw.addresses?.map((a) => a.value), ['127.0.0.1']);
    const conds = await waitFor('HTTPRoute Accepted and ResolvedRefs', async () => {
      const c = await routeStatus();
      return conditionOf(c, 'Accepted')?.status === 'True' && conditionOf(c, 'ResolvedRefs')?.status === 'True' ? c : undefined;
    }, { timeoutMs: BOUND_MS });
    t.diagnostic(`route status: ${JSON.stringify(conds)}`);

    // The listener's own certificate; no endpoint behind the Service, so Traefik answers 503 itself.
    const r = await waitForAnswer('503 through the Gateway', (x) => x.status === 503);
    assert.equal(r.certificate?.subjectCN, HOST);

    // Chainboard: the domain is the HTTPRoute's, through the Gateway's listener, to the Service; the
    // controller accepted it, so no gateway.* finding; the Service without endpoints is the broken link.
    const v = await waitForChainboard(t, 'Chainboard follows the HTTPRoute', (x) => x.codes.includes('service.no-endpoints') && x.domain.http?.check.state === 'checked');
    const route = v.domain.routes.find((x) => x.kind === 'HTTPRoute' && x.ingress === ROUTE);
    assert.ok(route, `an HTTPRoute route: ${describeView(v)}`);
    assert.equal(route.service?.name, SERVICE);
    assert.match(route.gateway?.name ?? '', new RegExp(`(^|/)${GATEWAY}$`), 'through the Gateway');
    assert.deepEqual(v.codes.filter((c) => c.startsWith('gateway.')), [], 'the controller accepted the route');
    assert.equal(v.domain.tls.check.state, 'checked');
    const check = v.domain.http!.probes[0]!;
    assert.deepEqual(check.status === 'ok' && [check.statusCode, check.route.kind, check.route.ingress], [503, 'HTTPRoute', ROUTE]);
    assert.ok(v.codes.includes('http.unavailable'), `http.unavailable: ${describeView(v)}`);
  });

  it("reads Traefik's ResolvedRefs=False for a backendRef to a missing Service, and names the missing Service with the controller's agreement", async (t) => {
    await cp.apply(httpRoute('no-such-service'));
    try {
      const conds = await waitFor('ResolvedRefs False from Traefik', async () => {
        const c = await routeStatus();
        return conditionOf(c, 'ResolvedRefs')?.status === 'False' ? c : undefined;
      }, { timeoutMs: BOUND_MS });
      const resolved = conditionOf(conds, 'ResolvedRefs')!;
      t.diagnostic(`ResolvedRefs: ${JSON.stringify(resolved)}`);
      assert.equal(resolved.reason, 'BackendNotFound');
      const answer = await waitForAnswer('Traefik answers the unresolved backend with a 500', (x) => x.status === 500);
      assert.equal(answer.certificate?.subjectCN, HOST);

      const v = await waitForChainboard(t, 'Chainboard names the missing backend', (x) => x.codes.includes('gateway.backend-missing'));
      const f = v.domain.findings.find((x) => x.code === 'gateway.backend-missing')!;
      assert.equal(f.severity, 'critical');
      assert.deepEqual([f.object.kind, f.object.name], ['HTTPRoute', ROUTE]);
      assert.match(f.message, /no-such-service/);
      assert.match(f.message, /BackendNotFound/, 'the message carries the controller’s own reason');
      assert.equal(v.domain.health, 'down');
    } finally {
      await cp.apply(httpRoute(SERVICE));
    }
    await waitFor('ResolvedRefs True again', async () => (conditionOf(await routeStatus(), 'ResolvedRefs')?.status === 'True' ? true : undefined), { timeoutMs: BOUND_MS });
    const back = await waitForChainboard(t, 'Chainboard clear of the missing backend', (x) => !x.codes.includes('gateway.backend-missing') && x.codes.includes('service.no-endpoints'));
    assert.ok(!back.codes.some((c) => c.startsWith('gateway.')));
  });
});
