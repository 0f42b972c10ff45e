/**
 * Test scenarios as data (test code only): a fixture, an optional edit (data gaps, probe results), and
 * the whole expected outcome per domain: its health and its findings as `{ code, severity, object, link }`.
 * The family tests run them; the catalogue test checks every rule code is triggered by one of them.
 */
import assert from 'node:assert/strict';
import type { AnalysisResult, Health } from '../../model/chain';
import type { CertificateInfo } from '../../model/k8s';
import type { DnsProbeResult, HostProbes, TlsProbeResult } from '../../model/probe';
import type { DataGap, Snapshot } from '../../model/snapshot';
import type { AnalyzeOptions } from '../index';
import { briefs, edge, f, HOST, node, NOW, NS, POD, ref, resolverInfo, run, type Brief } from './load';

export interface Outcome {
  health: Health;
  findings: Brief[];
}

export interface Scenario {
  /** Reads as a sentence: the test name. */
  title: string;
  fixture: string;
  edit?: (s: Snapshot) => void;
  opts?: Partial<AnalyzeOptions>;
  /** Every domain of the result, by host. */
  domains: Record<string, Outcome>;
  /** The namespace summary of `hst-my-client` (health and its own findings), when it matters. */
  namespace?: Outcome;
  /** Further checks on the whole result. */
  check?: (r: AnalysisResult) => void;
}

export function runScenario(s: Scenario): AnalysisResult {
  const r = run(s.fixture, s.opts, s.edit);
  const got = Object.fromEntries(r.domains.map((d) => [d.host, { health: d.health, findings: briefs(d.findings) }]));
  assert.deepStrictEqual(got, s.domains);
  if (s.namespace) {
    const ns = r.namespaces.find((n) => n.name === NS);
    assert.ok(ns, `no namespace ${NS}`);
    assert.deepStrictEqual({ health: ns.health, findings: briefs(ns.findings) }, s.namespace);
  }
  s.check?.(r);
  return r;
}

const WWW = 'www.my-client.junovy.com';
const tlsNode = node(`TLS/${HOST}`);
const dnsNode = node(`DNS/${HOST}`);
const svcNode = node('Service/my-app');
const svc = ref('Service', 'my-app');
const ing = ref('Ingress', 'my-app');
const pod = (i: 0 | 1 | 2) => ref('Pod', POD[i]);
const podNode = (i: 0 | 1 | 2) => node(`Pod/${POD[i]}`);
const gap = (g: DataGap) => (s: Snapshot) => {
  (s.gaps ??= []).push(g);
};
const one = (health: Health, ...findings: Brief[]) => ({ [HOST]: { health, findings } });

// ---------------------------------------------------------------------------------------------------
// ingress

export const INGRESS_SCENARIOS: Scenario[] = [
  {
    title: 'an Ingress without a class, when no IngressClass is the default, is down with ingress.class-missing',
    fixture: 'ingress-class-missing',
    domains: one('down', f('ingress.class-missing', 'critical', ing, node('Ingress/my-app')), resolverInfo()),
  },
  {
    title: 'an Ingress without a class is served by the IngressClass marked as the default',
    fixture: 'ingress-class-default',
    domains: one('healthy', resolverInfo()),
    check: (r) => assert.equal(r.domains[0]!.routes[0]!.ingressClass, 'traefik-external'),
  },
  {
    title: 'an Ingress naming an IngressClass that does not exist is down with ingress.class-unknown',
    fixture: 'ingress-class-unknown',
    domains: one('down', f('ingress.class-unknown', 'critical', ing, node('Ingress/my-app')), resolverInfo()),
  },
  {
    title: 'the deprecated kubernetes.io/ingress.class annotation names the class as well',
    fixture: 'ingress-class-annotation',
    domains: one('healthy', resolverInfo()),
    check: (r) => assert.equal(r.domains[0]!.routes[0]!.ingressClass, 'traefik-external'),
  },
  {
    title: 'when IngressClasses cannot be read the class checks are skipped; the domain names the gap but is not unknown for it',
    fixture: 'ingress-class-unknown',
    edit: gap({ reason: 'forbidden', kind: 'IngressClass', message: 'ingressclasses.networking.k8s.io is forbidden' }),
    domains: one(
      'degraded',
      f('ingress.no-address', 'warning', ing, node('Ingress/my-app')),
      f('data.forbidden', 'info', ref('IngressClass', '*'), node(`Domain/${HOST}`)),
      resolverInfo(),
    ),
    check: (r) => assert.deepStrictEqual(r.domains[0]!.gaps.map((g) => g.kind), ['IngressClass']),
  },
  {
    title: 'an Ingress with no load-balancer address is degraded with ingress.no-address',
    fixture: 'ingress-no-address',
    domains: one('degraded', f('ingress.no-address', 'warning', ing, node('Ingress/my-app')), resolverInfo()),
  },
  {
    title: 'a route to a Service that does not exist is down with ingress.backend-service-missing on the route-to-Service edge',
    fixture: 'ingress-backend-service-missing',
    domains: one('down', f('ingress.backend-service-missing', 'critical', ing, edge('Route/my-app/0/0', 'Service/my-app-svc')), resolverInfo()),
  },
  {
    title: 'a route to a port the Service does not have is down with ingress.backend-port-missing',
    fixture: 'ingress-backend-port-missing',
    domains: one('down', f('ingress.backend-port-missing', 'critical', ing, edge('Route/my-app/0/0', 'Service/my-app')), resolverInfo()),
  },
  {
    title: 'a route to a named Service port resolves by name, and the EndpointSlice port of that name serves it',
    fixture: 'ingress-backend-port-by-name',
    domains: one('healthy', resolverInfo()),
    check: (r) => {
      const s = r.domains[0]!.routes[0]!.service!;
      assert.deepStrictEqual(s.port, { name: 'http', protocol: 'TCP', port: 80, targetPort: 'http' });
      assert.deepStrictEqual(s.counts, { ready: 2, notReady: 0, terminating: 0, total: 2 });
    },
  },
  {
    title: 'a resource backend is a warning and a host rule without paths is down, both as ingress.backend-invalid',
    fixture: 'ingress-backend-invalid',
    domains: {
      [WWW]: { health: 'down', findings: [f('ingress.backend-invalid', 'critical', ing, node('Route/my-app/1/0')), resolverInfo('my-app', WWW)] },
      [HOST]: { health: 'degraded', findings: [f('ingress.backend-invalid', 'warning', ing, node('Route/my-app/0/1')), resolverInfo()] },
    },
  },
  {
    title: 'two Ingresses claiming the same host, path and pathType both get ingress.route-conflict',
    fixture: 'ingress-route-conflict',
    domains: one(
      'degraded',
      f('ingress.route-conflict', 'warning', ing, node('Route/my-app/0/0')),
      f('ingress.route-conflict', 'warning', ref('Ingress', 'my-app-canary'), node('Route/my-app-canary/0/0')),
      resolverInfo(),
      resolverInfo('my-app-canary'),
    ),
  },
  {
    title: 'two Ingresses sharing a host on different paths do not conflict and make one domain with two routes',
    fixture: 'ingress-two-paths',
    domains: one('healthy', resolverInfo('my-api'), resolverInfo()),
    check: (r) => assert.deepStrictEqual(r.domains[0]!.routes.map((x) => `${x.ingress} ${x.path}`), ['my-api /api', 'my-app /']),
  },
  {
    title: 'an Ingress with no rules and no default backend is a namespace finding, ingress.no-rules, not a domain',
    fixture: 'ingress-no-rules',
    domains: one('healthy', resolverInfo()),
    namespace: { health: 'degraded', findings: [f('ingress.no-rules', 'warning', ref('Ingress', 'placeholder'), node('Ingress/placeholder'))] },
  },
  {
    title: 'a host served on a TLS entrypoint but listed in no spec.tls hosts is degraded with ingress.tls-host-uncovered',
    fixture: 'ingress-tls-host-uncovered',
    domains: one('degraded', f('ingress.tls-host-uncovered', 'warning', ing, tlsNode), resolverInfo()),
  },
  {
    title: 'a host covered by a wildcard in spec.tls hosts is covered',
    fixture: 'seed',
    edit: (s) => {
      s.ingresses[0]!.spec!.tls = [{ hosts: ['*.my-client.junovy.com'], secretName: 'wildcard-tls' }];
    },
    domains: one('healthy', resolverInfo()),
  },
];

// ---------------------------------------------------------------------------------------------------
// service

export const SERVICE_SCENARIOS: Scenario[] = [
  {
    title: 'an ExternalName Service is info only and its endpoints are not checked: service.externalname',
    fixture: 'service-externalname',
    domains: one('healthy', f('service.externalname', 'info', svc, svcNode), resolverInfo()),
  },
  {
    title: 'a Service with no selector and no EndpointSlices is down with service.no-selector',
    fixture: 'service-no-selector',
    domains: one('down', f('service.no-selector', 'critical', svc, svcNode), resolverInfo()),
  },
  {
    title: 'a Service with no selector but hand-made EndpointSlices is served by them, unset conditions counting as ready',
    fixture: 'service-manual-endpoints',
    domains: one('healthy', resolverInfo()),
    check: (r) => {
      const s = r.domains[0]!.routes[0]!.service!;
      assert.deepStrictEqual(
        s.endpoints.map((e) => [e.id, e.ready, e.serving, e.terminating, e.pod]),
        [
          ['Endpoint/my-app-external/192.168.50.11', true, true, false, undefined],
          ['Endpoint/my-app-external/192.168.50.12', true, true, false, undefined],
        ],
      );
    },
  },
  {
    title: 'a selector no Pod matches is down with service.selector-matches-nothing and nothing redundant',
    fixture: 'service-selector-matches-nothing',
    domains: one('down', f('service.selector-matches-nothing', 'critical', svc, svcNode), resolverInfo()),
  },
  {
    title: 'a named targetPort no selected container declares is down with service.target-port-unmatched, not no-endpoints',
    fixture: 'service-target-port-unmatched',
    domains: one('down', f('service.target-port-unmatched', 'critical', svc, svcNode), resolverInfo()),
    check: (r) => assert.deepStrictEqual(r.domains[0]!.routes[0]!.service!.podsWithoutEndpoint.map((p) => p.name), [POD[0], POD[1]]),
  },
  {
    title: 'a numeric targetPort no container declares, while they declare others, is a warning',
    fixture: 'service-target-port-number',
    domains: one('degraded', f('service.target-port-unmatched', 'warning', svc, svcNode), resolverInfo()),
  },
  {
    title: 'a numeric targetPort is not judged when the containers declare no ports',
    fixture: 'service-target-port-undeclared',
    domains: one('healthy', resolverInfo()),
  },
  {
    title: 'Pods that cannot be scheduled leave the Service with no endpoints: service.no-endpoints and pod.pending',
    fixture: 'service-no-endpoints',
    domains: one(
      'down',
      f('service.no-endpoints', 'critical', svc, svcNode),
      f('pod.pending', 'warning', pod(0), podNode(0)),
      f('pod.pending', 'warning', pod(1), podNode(1)),
      resolverInfo(),
    ),
  },
  {
    title: 'endpoints that are all not ready are down with service.no-ready-endpoints and each Pod not ready',
    fixture: 'service-no-ready-endpoints',
    domains: one(
      'down',
      f('service.no-ready-endpoints', 'critical', svc, svcNode),
      f('pod.not-ready', 'warning', pod(0), podNode(0)),
      f('pod.not-ready', 'warning', pod(1), podNode(1)),
      resolverInfo(),
    ),
  },
  {
    title: 'one endpoint of three not ready is degraded with service.some-endpoints-not-ready',
    fixture: 'service-some-endpoints-not-ready',
    domains: one('degraded', f('pod.not-ready', 'warning', pod(1), podNode(1)), f('service.some-endpoints-not-ready', 'warning', svc, svcNode), resolverInfo()),
  },
  {
    title: 'a single ready endpoint is healthy, noted as service.single-endpoint',
    fixture: 'service-single-endpoint',
    domains: one('healthy', f('service.single-endpoint', 'info', svc, svcNode), resolverInfo()),
  },
  {
    title: 'a terminating endpoint during a rollout is healthy, noted as service.endpoints-terminating',
    fixture: 'service-endpoints-terminating',
    domains: one('healthy', f('service.endpoints-terminating', 'info', svc, svcNode), resolverInfo()),
    check: (r) => assert.deepStrictEqual(r.domains[0]!.routes[0]!.service!.counts, { ready: 2, notReady: 0, terminating: 1, total: 3 }),
  },
];

// ---------------------------------------------------------------------------------------------------
// pod

export const POD_SCENARIOS: Scenario[] = [
  {
    title: 'a Pod in CrashLoopBackOff is a pod.crash-loop warning, and its Service has one ready endpoint left',
    fixture: 'pod-crash-loop',
    domains: one(
      'degraded',
      f('pod.crash-loop', 'warning', pod(1), podNode(1)),
      f('service.some-endpoints-not-ready', 'warning', svc, svcNode),
      f('service.single-endpoint', 'info', svc, svcNode),
      resolverInfo(),
    ),
  },
  {
    title: 'a Pod that cannot pull its image is a pod.image-pull warning',
    fixture: 'pod-image-pull',
    domains: one('degraded', f('pod.image-pull', 'warning', pod(2), podNode(2)), f('service.some-endpoints-not-ready', 'warning', svc, svcNode), resolverInfo()),
  },
  {
    title: 'a container that cannot be created for a missing Secret key is a pod.config-error warning',
    fixture: 'pod-config-error',
    domains: one(
      'degraded',
      f('pod.config-error', 'warning', pod(1), podNode(1)),
      f('service.some-endpoints-not-ready', 'warning', svc, svcNode),
      f('service.single-endpoint', 'info', svc, svcNode),
      resolverInfo(),
    ),
  },
  {
    title: 'a container OOMKilled ten minutes ago is a pod.oom-killed warning',
    fixture: 'pod-oom-killed',
    domains: one('degraded', f('pod.oom-killed', 'warning', pod(1), podNode(1)), resolverInfo()),
  },
  {
    title: 'a container OOMKilled days ago and ready since is healthy',
    fixture: 'pod-oom-long-ago',
    domains: one('healthy', resolverInfo()),
  },
  {
    title: 'a container that restarted twenty minutes ago is a pod.restarting warning',
    fixture: 'pod-restarting',
    domains: one('degraded', f('pod.restarting', 'warning', pod(1), podNode(1)), resolverInfo()),
  },
  {
    title: 'restarts older than the window are not a finding',
    fixture: 'pod-restarted-long-ago',
    domains: one('healthy', resolverInfo()),
  },
  {
    title: 'restarts are judged against the configured window',
    fixture: 'pod-restarted-long-ago',
    opts: { restartWarningWindowMs: 7 * 24 * 3600_000 },
    domains: one('degraded', f('pod.restarting', 'warning', pod(1), podNode(1)), resolverInfo()),
  },
  {
    title: 'a Pod still there two hours after its deletionTimestamp is pod.terminating-stuck',
    fixture: 'pod-terminating-stuck',
    domains: one(
      'degraded',
      f('pod.terminating-stuck', 'warning', pod(1), podNode(1)),
      f('service.endpoints-terminating', 'info', svc, svcNode),
      resolverInfo(),
    ),
  },
  {
    title: 'an evicted Pod is pod.failed and has no endpoint',
    fixture: 'pod-failed',
    domains: one('degraded', f('pod.failed', 'warning', pod(2), podNode(2)), resolverInfo()),
    check: (r) => assert.deepStrictEqual(r.domains[0]!.routes[0]!.service!.podsWithoutEndpoint.map((p) => [p.name, p.reason, p.health]), [[POD[2], 'Evicted', 'degraded']]),
  },
  {
    title: 'a Running Pod whose readiness fails is pod.not-ready',
    fixture: 'service-some-endpoints-not-ready',
    domains: one('degraded', f('pod.not-ready', 'warning', pod(1), podNode(1)), f('service.some-endpoints-not-ready', 'warning', svc, svcNode), resolverInfo()),
  },
];

// ---------------------------------------------------------------------------------------------------
// tls

const DAY = 86_400_000;
const at = (days: number) => new Date(NOW.getTime() + days * DAY).toISOString();

/** A leaf certificate valid from `from` days (relative to NOW) for `days` days. */
export function leaf(o: { sans?: string[]; from: number; days: number; subject?: string; issuer?: string }): CertificateInfo {
  const sans = o.sans ?? [HOST];
  return {
    subject: o.subject ?? `CN=${sans[0]}`,
    issuer: o.issuer ?? "C=US, O=Let's Encrypt, CN=R11",
    sans,
    notBefore: at(o.from),
    notAfter: at(o.from + o.days),
    serialNumber: '04A1B2C3D4E5F6',
    fingerprint256: 'AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89',
    selfSigned: false,
  };
}

export function served(chain: CertificateInfo[], trusted = true, verifyError?: string): TlsProbeResult {
  return { status: 'ok', host: HOST, target: '203.0.113.10:443', checkedAt: NOW.toISOString(), chain, trusted, ...(verifyError ? { verifyError } : {}) };
}

const probes = (p: HostProbes) => (s: Snapshot) => {
  s.probes = { [HOST]: p };
};
const withTls = (tls: TlsProbeResult) => probes({ tls });
const withDns = (dns: DnsProbeResult) => probes({ dns });
const secretRef = ref('Secret', 'my-app-tls');
const VALID_90 = leaf({ from: -30, days: 90 });

export const TLS_SCENARIOS: Scenario[] = [
  {
    title: 'the seed example of issue 2 is healthy: the resolver keeps the certificate, so no tls.secret-missing',
    fixture: 'seed',
    domains: one('healthy', resolverInfo()),
  },
  {
    title: 'a Secret named in spec.tls that does not exist, with no resolver, is down with tls.secret-missing when Secrets are readable',
    fixture: 'tls-secret-missing',
    domains: one('down', f('tls.secret-missing', 'critical', secretRef, tlsNode)),
  },
  {
    title: 'a missing Secret is not guessed about when Secrets are not read at all',
    fixture: 'tls-secret-unreadable',
    domains: one('healthy'),
  },
  {
    title: 'a missing Secret is not guessed about when reading Secrets is forbidden',
    fixture: 'tls-secret-missing',
    edit: gap({ reason: 'forbidden', kind: 'Secret', namespace: NS, message: 'secrets is forbidden' }),
    domains: one('healthy'),
  },
  {
    title: 'a valid certificate for the host in the Secret is healthy',
    fixture: 'tls-secret-valid',
    domains: one('healthy'),
    check: (r) => assert.deepStrictEqual(r.domains[0]!.tls.secretCertificate?.sans, [HOST]),
  },
  {
    title: 'a wildcard certificate in the Secret covers the host',
    fixture: 'tls-secret-wildcard',
    domains: one('healthy'),
  },
  {
    title: 'a Secret whose tls.crt does not parse is down with tls.secret-invalid',
    fixture: 'tls-secret-invalid',
    domains: one('down', f('tls.secret-invalid', 'critical', secretRef, tlsNode)),
  },
  {
    title: 'an expired certificate in the Secret is down with tls.secret-cert-expired',
    fixture: 'tls-secret-cert-expired',
    domains: one('down', f('tls.secret-cert-expired', 'critical', secretRef, tlsNode)),
  },
  {
    title: 'a certificate in the Secret for other names is down with tls.secret-host-mismatch',
    fixture: 'tls-secret-host-mismatch',
    domains: one('down', f('tls.secret-host-mismatch', 'critical', secretRef, tlsNode)),
  },
  {
    title: 'a 90-day certificate in the Secret with 10 days left is degraded with tls.secret-cert-expiring',
    fixture: 'tls-secret-cert-expiring',
    domains: one('degraded', f('tls.secret-cert-expiring', 'warning', secretRef, tlsNode)),
  },
  {
    title: 'the Secret of a host whose certificate a resolver keeps is not judged',
    fixture: 'seed',
    edit: (s) => {
      s.tlsSecrets = [{ metadata: { name: 'my-app-tls', namespace: NS }, type: 'kubernetes.io/tls', certificate: leaf({ from: -100, days: 90, sans: ['old.example.com'] }) }];
    },
    domains: one('healthy', resolverInfo()),
  },
  {
    title: 'a cert-manager Certificate not Ready while the Secret still holds a valid certificate is a tls.certificate-not-ready warning',
    fixture: 'tls-certificate-not-ready',
    domains: one(
      'degraded',
      f('tls.certificate-not-ready', 'warning', ref('Certificate', 'my-app-tls'), tlsNode),
      f('tls.managed-by-resolver', 'info', ing, tlsNode),
    ),
  },
  {
    title: 'a cert-manager Certificate not Ready with no Secret to serve is a critical tls.certificate-not-ready',
    fixture: 'tls-certificate-not-ready-no-secret',
    domains: one(
      'down',
      f('tls.certificate-not-ready', 'critical', ref('Certificate', 'my-app-tls'), tlsNode),
      f('tls.managed-by-resolver', 'info', ing, tlsNode),
    ),
  },
  {
    title: 'a Ready cert-manager Certificate with a valid Secret is healthy',
    fixture: 'tls-cert-manager-ready',
    domains: one('healthy', f('tls.managed-by-resolver', 'info', ing, tlsNode)),
    check: (r) => assert.deepStrictEqual(r.domains[0]!.tls.source, { type: 'cert-manager', issuer: 'ClusterIssuer letsencrypt-prod', secretName: 'my-app-tls' }),
  },
  {
    title: 'the Secret cert-manager writes is what is served, so its expired certificate is judged too',
    fixture: 'tls-cert-manager-ready',
    edit: (s) => {
      s.tlsSecrets![0]!.certificate = leaf({ from: -100, days: 90 });
    },
    domains: one('down', f('tls.secret-cert-expired', 'critical', secretRef, tlsNode), f('tls.managed-by-resolver', 'info', ing, tlsNode)),
  },
  // What the domain serves (probe results built by hand; real handshakes are tested in lib/probe).
  {
    title: 'a served certificate that verifies, covers the host and has most of its life left is healthy',
    fixture: 'seed',
    edit: withTls(served([VALID_90])),
    domains: one('healthy', resolverInfo()),
    check: (r) => assert.equal(r.domains[0]!.tls.probe?.status, 'ok'),
  },
  {
    title: 'an expired served certificate is down with tls.cert-expired alone, its verify error explained by it',
    fixture: 'seed',
    edit: withTls(served([leaf({ from: -100, days: 90 })], false, 'CERT_HAS_EXPIRED')),
    domains: one('down', f('tls.cert-expired', 'critical', ing, tlsNode), resolverInfo()),
    check: (r) => assert.equal(r.domains[0]!.tls.health, 'down'),
  },
  {
    title: 'a served certificate valid only from tomorrow is down with tls.cert-not-yet-valid',
    fixture: 'seed',
    edit: withTls(served([leaf({ from: 1, days: 90 })], false, 'CERT_NOT_YET_VALID')),
    domains: one('down', f('tls.cert-not-yet-valid', 'critical', ing, tlsNode), resolverInfo()),
  },
  {
    title: 'a 90-day served certificate with 20 days left is degraded with tls.cert-expiring',
    fixture: 'seed',
    edit: withTls(served([leaf({ from: -70, days: 90 })])),
    domains: one('degraded', f('tls.cert-expiring', 'warning', ing, tlsNode), resolverInfo()),
  },
  {
    title: 'a 6-day certificate with 3 days left is not expiring: half its lifetime is left',
    fixture: 'seed',
    edit: withTls(served([leaf({ from: -3, days: 6 })])),
    domains: one('healthy', resolverInfo()),
  },
  {
    title: 'a 6-day certificate with 1 day left is expiring',
    fixture: 'seed',
    edit: withTls(served([leaf({ from: -5, days: 6 })])),
    domains: one('degraded', f('tls.cert-expiring', 'warning', ing, tlsNode), resolverInfo()),
  },
  {
    title: 'expiringMinDays flags a long-lived certificate with fewer days left than that',
    fixture: 'seed',
    edit: withTls(served([leaf({ from: -345, days: 365 })])),
    opts: { tls: { expiringFraction: 0.01, expiringMinDays: 30 } },
    domains: one('degraded', f('tls.cert-expiring', 'warning', ing, tlsNode), resolverInfo()),
  },
  {
    title: 'a served certificate for other names is down with tls.host-mismatch alone',
    fixture: 'seed',
    edit: withTls(served([leaf({ from: -30, days: 90, sans: ['other.junovy.com'] })], false, 'ERR_TLS_CERT_ALTNAME_INVALID')),
    domains: one('down', f('tls.host-mismatch', 'critical', ing, tlsNode), resolverInfo()),
  },
  {
    title: 'a wildcard covers exactly one label: *.junovy.com does not cover app.my-client.junovy.com',
    fixture: 'seed',
    edit: withTls(served([leaf({ from: -30, days: 90, sans: ['*.junovy.com'] })])),
    domains: one('down', f('tls.host-mismatch', 'critical', ing, tlsNode), resolverInfo()),
  },
  {
    title: 'a served wildcard certificate for *.my-client.junovy.com covers app.my-client.junovy.com',
    fixture: 'seed',
    edit: withTls(served([leaf({ from: -30, days: 90, sans: ['*.my-client.junovy.com'] })])),
    domains: one('healthy', resolverInfo()),
  },
  {
    title: "Traefik's self-signed default certificate is down with tls.default-certificate alone",
    fixture: 'seed',
    edit: withTls(
      served(
        [{ ...leaf({ from: -1, days: 365, sans: ['0b1c2d3e4f.a5b6c7d8e9.traefik.default'] }), subject: 'CN=TRAEFIK DEFAULT CERT', issuer: 'CN=TRAEFIK DEFAULT CERT', selfSigned: true }],
        false,
        'DEPTH_ZERO_SELF_SIGNED_CERT',
      ),
    ),
    domains: one('down', f('tls.default-certificate', 'critical', ing, tlsNode), resolverInfo()),
  },
  {
    title: 'a chain from a staging issuer that does not verify is down with tls.untrusted',
    fixture: 'seed',
    edit: withTls(served([leaf({ from: -30, days: 90, issuer: 'C=US, O=(STAGING) Let\'s Encrypt, CN=(STAGING) Ersatz Edamame E1' })], false, 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY')),
    domains: one('down', f('tls.untrusted', 'critical', ing, tlsNode), resolverInfo()),
  },
  {
    title: 'a refused TLS handshake is down with tls.handshake-failed',
    fixture: 'seed',
    edit: withTls({ status: 'error', host: HOST, target: '203.0.113.10:443', checkedAt: NOW.toISOString(), errorKind: 'refused', error: 'connect ECONNREFUSED 203.0.113.10:443' }),
    domains: one('down', f('tls.handshake-failed', 'critical', ing, tlsNode), resolverInfo()),
  },
];

// ---------------------------------------------------------------------------------------------------
// dns

const dnsOk = (o: { a?: string[]; aaaa?: string[]; cname?: string[] }): DnsProbeResult => ({
  status: 'ok',
  host: HOST,
  checkedAt: NOW.toISOString(),
  server: '127.0.0.1:5353',
  a: o.a ?? [],
  aaaa: o.aaaa ?? [],
  cname: o.cname ?? [],
});

export const DNS_SCENARIOS: Scenario[] = [
  {
    title: 'an external-dns hostname annotation that lacks the rule host is degraded with dns.annotation-mismatch',
    fixture: 'dns-annotation-mismatch',
    domains: one('degraded', f('dns.annotation-mismatch', 'warning', ing, dnsNode), resolverInfo()),
  },
  {
    title: 'a wildcard in the external-dns hostname annotation covers the rule host',
    fixture: 'dns-annotation-wildcard',
    domains: one('healthy', resolverInfo()),
    check: (r) => assert.deepStrictEqual(r.domains[0]!.dns.annotatedHostnames, ['*.my-client.junovy.com', 'my-client.junovy.com']),
  },
  {
    title: 'a host resolving to the Ingress load-balancer address is healthy',
    fixture: 'seed',
    edit: withDns(dnsOk({ a: ['203.0.113.10'] })),
    domains: one('healthy', resolverInfo()),
    check: (r) => assert.deepStrictEqual([r.domains[0]!.dns.loadBalancer, r.domains[0]!.dns.probe?.status], [['203.0.113.10'], 'ok']),
  },
  {
    title: 'NXDOMAIN is down with dns.not-resolving',
    fixture: 'seed',
    edit: withDns({ status: 'nxdomain', host: HOST, checkedAt: NOW.toISOString() }),
    domains: one('down', f('dns.not-resolving', 'critical', ing, dnsNode), resolverInfo()),
    check: (r) => assert.equal(r.domains[0]!.dns.health, 'down'),
  },
  {
    title: 'an answer without records is down with dns.not-resolving',
    fixture: 'seed',
    edit: withDns({ status: 'no-records', host: HOST, checkedAt: NOW.toISOString() }),
    domains: one('down', f('dns.not-resolving', 'critical', ing, dnsNode), resolverInfo()),
  },
  {
    title: 'a dangling CNAME is down with dns.not-resolving, naming where the chain ends',
    fixture: 'seed',
    edit: withDns({ status: 'no-records', host: HOST, checkedAt: NOW.toISOString(), cname: ['lb-old.junovy.net', 'gone.elb.example'] }),
    domains: one('down', f('dns.not-resolving', 'critical', ing, dnsNode), resolverInfo()),
    check: (r) =>
      assert.equal(
        r.domains[0]!.findings.find((x) => x.code === 'dns.not-resolving')!.message,
        `${HOST} is a CNAME to lb-old.junovy.net -> gone.elb.example, which has no A or AAAA records (a dangling CNAME)`,
      ),
  },
  {
    title: 'a lookup that fails is a dns.lookup-failed warning',
    fixture: 'seed',
    edit: withDns({ status: 'error', host: HOST, checkedAt: NOW.toISOString(), error: 'queryA ETIMEOUT app.my-client.junovy.com' }),
    domains: one('degraded', f('dns.lookup-failed', 'warning', ing, dnsNode), resolverInfo()),
  },
  {
    title: 'a host resolving to another address than the load balancer is down with dns.points-elsewhere',
    fixture: 'seed',
    edit: withDns(dnsOk({ a: ['198.51.100.7'] })),
    domains: one('down', f('dns.points-elsewhere', 'critical', ing, dnsNode), resolverInfo()),
  },
  {
    title: 'a CNAME to the load-balancer hostname is healthy, whatever its case and trailing dot',
    fixture: 'seed',
    edit: (s) => {
      s.ingresses[0]!.status = { loadBalancer: { ingress: [{ hostname: 'lb-1234.elb.example.net' }] } };
      s.probes = { [HOST]: { dns: dnsOk({ cname: ['LB-1234.elb.example.net.'], a: ['192.0.2.44'] }) } };
    },
    domains: one('healthy', resolverInfo()),
  },
  {
    title: 'a CNAME to another hostname than the load balancer is dns.points-elsewhere',
    fixture: 'seed',
    edit: (s) => {
      s.ingresses[0]!.status = { loadBalancer: { ingress: [{ hostname: 'lb-1234.elb.example.net' }] } };
      s.probes = { [HOST]: { dns: dnsOk({ cname: ['old-lb.example.net'], a: ['192.0.2.45'] }) } };
    },
    domains: one('down', f('dns.points-elsewhere', 'critical', ing, dnsNode), resolverInfo()),
  },
  {
    title: 'the external-dns target annotation is an address the host may point at',
    fixture: 'seed',
    edit: (s) => {
      s.ingresses[0]!.metadata.annotations!['external-dns.alpha.kubernetes.io/target'] = '198.51.100.7';
      s.probes = { [HOST]: { dns: dnsOk({ a: ['198.51.100.7'] }) } };
    },
    domains: one('healthy', resolverInfo()),
  },
];

// ---------------------------------------------------------------------------------------------------
// data gaps

const domainNode = node(`Domain/${HOST}`);
const nsNode = node(`Namespace/${NS}`);

export const DATA_SCENARIOS: Scenario[] = [
  {
    title: 'a forbidden Pod list makes the domain unknown, never healthy, with a data.forbidden finding',
    fixture: 'seed',
    edit: gap({ reason: 'forbidden', kind: 'Pod', namespace: NS, message: 'pods is forbidden: User "system:serviceaccount:chainboard:chainboard" cannot list resource "pods"' }),
    domains: one('unknown', f('data.forbidden', 'info', ref('Pod', '*'), domainNode), resolverInfo()),
    namespace: { health: 'unknown', findings: [f('data.forbidden', 'info', ref('Pod', '*'), nsNode)] },
  },
  {
    title: 'EndpointSlices not synced yet make the domain unknown with data.not-synced, and no endpoint rule guesses',
    fixture: 'service-no-endpoints',
    edit: gap({ reason: 'not-synced', kind: 'EndpointSlice', namespace: NS, message: 'initial list not complete' }),
    domains: one(
      'unknown',
      f('pod.pending', 'warning', pod(0), podNode(0)),
      f('pod.pending', 'warning', pod(1), podNode(1)),
      f('data.not-synced', 'info', ref('EndpointSlice', '*'), domainNode),
      resolverInfo(),
    ),
  },
  {
    title: 'a failed Service list is data.error, and a critical finding still makes the domain down',
    fixture: 'service-no-ready-endpoints',
    edit: gap({ reason: 'error', kind: 'Service', message: 'the server is currently unable to handle the request' }),
    domains: one(
      'down',
      f('service.no-ready-endpoints', 'critical', svc, svcNode),
      f('pod.not-ready', 'warning', pod(0), podNode(0)),
      f('pod.not-ready', 'warning', pod(1), podNode(1)),
      f('data.error', 'info', ref('Service', '*'), domainNode),
      resolverInfo(),
    ),
  },
];

/** Every scenario, for the catalogue coverage test. */
export const ALL_SCENARIOS: Scenario[] = [
  ...INGRESS_SCENARIOS,
  ...SERVICE_SCENARIOS,
  ...POD_SCENARIOS,
  ...TLS_SCENARIOS,
  ...DNS_SCENARIOS,
  ...DATA_SCENARIOS,
];

// ---------------------------------------------------------------------------------------------------
// healthy counterparts

const SERVED_OK = 'a served certificate that verifies, covers the host and has most of its life left is healthy';
const RESOLVES_OK = 'a host resolving to the Ingress load-balancer address is healthy';

/**
 * For every rule code, a near-miss that must come out healthy without it: a fixture name, or the title of
 * a scenario above.
 */
export const HEALTHY_COUNTERPARTS: Record<string, string> = {
  'ingress.class-missing': 'ingress-class-default',
  'ingress.class-unknown': 'ingress-class-annotation',
  'ingress.no-address': 'seed',
  'ingress.no-rules': 'default-backend-only',
  'ingress.backend-invalid': 'seed',
  'ingress.backend-service-missing': 'seed',
  'ingress.backend-port-missing': 'ingress-backend-port-by-name',
  'ingress.route-conflict': 'ingress-two-paths',
  'ingress.tls-host-uncovered': 'a host covered by a wildcard in spec.tls hosts is covered',
  'tls.managed-by-resolver': 'tls-secret-valid',
  'tls.secret-missing': 'tls-secret-unreadable',
  'tls.secret-invalid': 'tls-secret-valid',
  'tls.secret-cert-expired': 'tls-secret-valid',
  'tls.secret-host-mismatch': 'tls-secret-wildcard',
  'tls.secret-cert-expiring': 'tls-secret-valid',
  'tls.certificate-not-ready': 'tls-cert-manager-ready',
  'tls.handshake-failed': SERVED_OK,
  'tls.default-certificate': SERVED_OK,
  'tls.cert-expired': SERVED_OK,
  'tls.cert-not-yet-valid': SERVED_OK,
  'tls.cert-expiring': 'a 6-day certificate with 3 days left is not expiring: half its lifetime is left',
  'tls.host-mismatch': 'a served wildcard certificate for *.my-client.junovy.com covers app.my-client.junovy.com',
  'tls.untrusted': SERVED_OK,
  'dns.annotation-mismatch': 'dns-annotation-wildcard',
  'dns.not-resolving': RESOLVES_OK,
  'dns.lookup-failed': RESOLVES_OK,
  'dns.points-elsewhere': 'a CNAME to the load-balancer hostname is healthy, whatever its case and trailing dot',
  'service.externalname': 'seed',
  'service.no-selector': 'service-manual-endpoints',
  'service.selector-matches-nothing': 'seed',
  'service.target-port-unmatched': 'service-target-port-undeclared',
  'service.no-endpoints': 'seed',
  'service.no-ready-endpoints': 'seed',
  'service.some-endpoints-not-ready': 'seed',
  'service.single-endpoint': 'seed',
  'service.endpoints-terminating': 'seed',
  'pod.terminating-stuck': 'service-endpoints-terminating',
  'pod.failed': 'seed',
  'pod.image-pull': 'seed',
  'pod.config-error': 'seed',
  'pod.oom-killed': 'pod-oom-long-ago',
  'pod.crash-loop': 'seed',
  'pod.pending': 'seed',
  'pod.not-ready': 'seed',
  'pod.restarting': 'pod-restarted-long-ago',
  'data.forbidden': 'seed',
  'data.not-synced': 'seed',
  'data.error': 'seed',
};

/** Analyse a counterpart: a scenario by title, or a fixture as is. */
export function runCounterpart(name: string): AnalysisResult {
  const s = ALL_SCENARIOS.find((x) => x.title === name);
  return s ? run(s.fixture, s.opts, s.edit) : run(name);
}
