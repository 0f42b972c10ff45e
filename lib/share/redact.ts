/**
 * What a client may see of a domain: the redacted view behind a signed share link.
 *
 * Built by WHITELISTING: `redactDomain` constructs a new object field by field from the chain, and
 * anything not named here never reaches the output, whatever the analysis adds to `DomainChain` later.
 *
 * A client sees: the host and its health; per route the path and its health; per Service its name, type,
 * port number, endpoint counts and Pod counts; how the certificate is managed and when it expires; the
 * DNS health; and per finding its code, severity, the catalogue's title, which part of the chain it is
 * about, and a message.
 *
 * A client never sees: Pod names, Pod IPs, endpoint addresses, node names, zones, container images,
 * events, object YAML, labels, the namespace, Ingress names, probe targets, kubectl hints, or data-gap
 * details. Finding messages are kept (scrubbed of addresses and node names) only for the codes in
 * {@link MESSAGE_SAFE_CODES}, whose messages are built from spec names, counts and certificate dates; every
 * other code - notably the pod family, whose messages quote kubelet and scheduler text - gets the
 * catalogue's description instead, written by us and naming nothing of the cluster.
 */
import { ruleByCode } from '../chain/catalogue';
import type { ChainLink, DomainChain, EndpointCounts, Finding, Health, LinkHealth, PodSummary, Severity, TlsSource } from '../model/chain';

/** Which part of the chain a shared finding is about (the node type of its link, never its id). */
export type SharedPart = 'domain' | 'tls' | 'dns' | 'route' | 'ingress' | 'service' | 'endpoint' | 'pod' | 'other';

export interface SharedFinding {
  code: string;
  severity: Severity;
  /** The catalogue's short name of the code, e.g. "No ready endpoints". */
  title: string;
  part: SharedPart;
  /** Scrubbed message for message-safe codes; the catalogue description otherwise. */
  message: string;
  /** How many findings of this code said the same thing (e.g. 2 crash-looping Pods). */
  count: number;
}

export interface SharedService {
  name: string;
  /** ClusterIP, NodePort, LoadBalancer or ExternalName. */
  type: string;
  /** The Service port the route uses, when it resolved. */
  port?: number;
  health: Health;
  endpoints: EndpointCounts;
  /** Pods behind the Service port: those with an endpoint and those selected without one. */
  pods: { total: number; ready: number };
}

export interface SharedRoute {
  /** `/api`, `/`; `*` for the Ingress default backend. */
  path: string;
  pathType: string;
  isDefaultBackend: boolean;
  health: Health;
  /** Absent when the backend names no Service or the Service does not exist. */
  service?: SharedService;
  /** The backend's Service name when the Service does not exist (the usual reason `service` is absent). */
  missingService?: string;
}

export interface SharedCertificate {
  notAfter: string;
  /** `served`: from the handshake with the host; `secret`: from the TLS Secret. */
  source: 'served' | 'secret';
}

export interface SharedTls {
  enabled: boolean;
  managedBy: TlsSource['type'];
  /** `not-checked` when neither a probe nor the Secret verified the certificate. */
  health: LinkHealth;
  certificate?: SharedCertificate;
}

/** The redacted view of one domain: the only shape the share page, its metadata and the signed badge see. */
export interface SharedDomain {
  host: string;
  health: Health;
  /** When the analysis behind this view was made (ISO). */
  analyzedAt: string;
  routes: SharedRoute[];
  tls: SharedTls;
  dns: { health: LinkHealth };
  /** Worst first, grouped by code and message. */
  findings: SharedFinding[];
  /** Some data could not be read, so parts of the chain are unknown. */
  incomplete: boolean;
}

/**
 * Codes whose messages name only spec-level things (Ingress, Service and Secret names, ports, label
 * selectors, certificate names and dates, counts). Adding a code here is a decision that its message is
 * fit for a client: read its `message:` template in lib/chain/rules first.
 */
export const MESSAGE_SAFE_CODES: ReadonlySet<string> = new Set([
  'ingress.class-missing',
  'ingress.class-unknown',
  'ingress.no-address',
  'ingress.no-rules',
  'ingress.backend-invalid',
  'ingress.backend-service-missing',
  'ingress.backend-port-missing',
  'ingress.route-conflict',
  'ingress.tls-host-uncovered',
  'tls.managed-by-resolver',
  'tls.secret-missing',
  'tls.secret-cert-expired',
  'tls.secret-host-mismatch',
  'tls.secret-cert-expiring',
  'tls.default-certificate',
  'tls.cert-expired',
  'tls.cert-not-yet-valid',
  'tls.cert-expiring',
  'tls.host-mismatch',
  'tls.untrusted',
  'dns.annotation-mismatch',
  'dns.not-resolving',
  'service.no-selector',
  'service.selector-matches-nothing',
  'service.target-port-unmatched',
  'service.no-endpoints',
  'service.no-ready-endpoints',
  'service.some-endpoints-not-ready',
  'service.single-endpoint',
  'service.endpoints-terminating',
]);

const IPV4 = /\b(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?\b/g;
// The full 8-group form, or a compressed form with `::`: clock times (09:30:00) must survive.
const IPV6 = /\[?(?:(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}|(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,6})?::(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,6})?)\]?(?::\d+)?/gi;

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Everything of the chain that must never reach a client: addresses and node names (longest first). */
function internals(d: DomainChain): string[] {
  const out = new Set<string>();
  const pod = (p: PodSummary | undefined) => {
    if (!p) return;
    if (p.podIP) out.add(p.podIP);
    if (p.nodeName) out.add(p.nodeName);
  };
  for (const r of d.routes) {
    const s = r.service;
    if (!s) continue;
    for (const e of s.endpoints) {
      for (const a of e.addresses) out.add(a);
      if (e.nodeName) out.add(e.nodeName);
      pod(e.pod);
    }
    for (const p of s.podsWithoutEndpoint) pod(p);
  }
  if (d.tls.probe) out.add(d.tls.probe.target);
  return [...out].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
}

/**
 * Remove addresses and the given internal names from a text. Names are replaced as whole words, so a node
 * `worker-1` does not eat into `worker-10`.
 */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) {
    out = out.replace(new RegExp(`(?<![\\w.-])${escapeRe(s)}(?![\\w-]|\\.\\w)`, 'g'), '[internal]');
  }
  return out.replace(IPV4, '[address]').replace(IPV6, (m) => (m.replace(/[[\]:]/g, '').length === 0 ? m : '[address]'));
}

function partOf(link: ChainLink): SharedPart {
  const id = link.type === 'node' ? link.id : link.from;
  const kind = id.slice(0, id.indexOf('/'));
  switch (kind) {
    case 'Domain':
      return 'domain';
    case 'TLS':
      return 'tls';
    case 'DNS':
      return 'dns';
    case 'Route':
      return 'route';
    case 'Ingress':
      return 'ingress';
    case 'Service':
      return 'service';
    case 'Endpoint':
      return 'endpoint';
    case 'Pod':
      return 'pod';
    default:
      return 'other';
  }
}

/** One finding as a client sees it (before grouping). */
export function redactFinding(f: Finding, secrets: readonly string[] = []): Omit<SharedFinding, 'count'> {
  const rule = ruleByCode(f.code);
  const message = MESSAGE_SAFE_CODES.has(f.code) ? scrub(f.message, secrets) : (rule?.description ?? '');
  return { code: f.code, severity: f.severity, title: rule?.title ?? f.code, part: partOf(f.link), message };
}

function certificate(d: DomainChain): SharedCertificate | undefined {
  const probe = d.tls.probe;
  const leaf = probe?.status === 'ok' ? probe.chain[0] : undefined;
  if (leaf) return { notAfter: leaf.notAfter, source: 'served' };
  if (d.tls.secretCertificate) return { notAfter: d.tls.secretCertificate.notAfter, source: 'secret' };
  return undefined;
}

/**
 * The redacted view of a domain. Pure: the same chain gives the same view.
 * @see SharedDomain for what is and is not in it.
 */
export function redactDomain(d: DomainChain, analyzedAt: string): SharedDomain {
  const secrets = internals(d);
  const routes: SharedRoute[] = d.routes.map((r) => {
    const route: SharedRoute = { path: r.path, pathType: r.pathType, isDefaultBackend: r.isDefaultBackend, health: r.health };
    const s = r.service;
    if (s) {
      const pods = [...s.endpoints.flatMap((e) => (e.pod ? [e.pod] : [])), ...s.podsWithoutEndpoint];
      // One Pod can back several endpoints (dual stack): count Pods once.
      const unique = new Map(pods.map((p) => [p.name, p]));
      route.service = {
        name: s.name,
        type: s.type,
        ...(s.port ? { port: s.port.port } : {}),
        health: s.health,
        endpoints: { ready: s.counts.ready, notReady: s.counts.notReady, terminating: s.counts.terminating, total: s.counts.total },
        pods: { total: unique.size, ready: [...unique.values()].filter((p) => p.ready).length },
      };
    } else if (r.backend.service?.name) {
      route.missingService = r.backend.service.name;
    }
    return route;
  });

  const grouped = new Map<string, SharedFinding>();
  for (const f of d.findings) {
    const shared = redactFinding(f, secrets);
    const key = `${shared.code}\0${shared.severity}\0${shared.part}\0${shared.message}`;
    const had = grouped.get(key);
    if (had) had.count++;
    else grouped.set(key, { ...shared, count: 1 });
  }

  const cert = certificate(d);
  return {
    host: d.host,
    health: d.health,
    analyzedAt,
    routes,
    tls: { enabled: d.tls.enabled, managedBy: d.tls.source.type, health: d.tls.health, ...(cert ? { certificate: cert } : {}) },
    dns: { health: d.dns.health },
    // Map keeps insertion order, and the chain's findings are already worst first.
    findings: [...grouped.values()],
    incomplete: d.gaps.length > 0,
  };
}

/** The finding a one-line summary leads with: the worst non-info one, if any. */
export function topFinding(d: Pick<SharedDomain, 'findings'>): SharedFinding | undefined {
  return d.findings.find((f) => f.severity !== 'info');
}
