/**
 * What a client may see of a domain: the redacted view behind a signed share link.
 *
 * Built by WHITELISTING: `redactDomain` constructs a new object field by field from the chain, and
 * anything not named here never reaches the output, whatever the analysis adds to `DomainChain` later.
 *
 * A client sees: the host and its health; per route the path and its health; per backend whether its
 * Service exists, its type, endpoint counts and Pod counts; how the certificate is managed and when it
 * expires; the DNS health; and per finding its code, severity, the catalogue's title and description,
 * and which part of the chain it is about.
 *
 * A client never sees a name or an address of the cluster: no Service, Secret, Ingress, Pod, workload,
 * container, node or namespace name, no port, no IP, no image, no event, no object YAML, no probe target,
 * no kubectl hint, no data-gap detail. Finding messages are never passed on, not even scrubbed: they are
 * written for the engineer and name the objects (`Service checkout port 80 ...`, `Secret checkout-tls is
 * not used`); the client reads the catalogue's description of the code instead, which is written by us
 * and names nothing of the cluster. Every string of the output is therefore the host, a route path, a
 * date, a fixed word of this module, or catalogue text (redact.test.ts checks exactly that).
 */
import { ruleByCode } from '../chain/catalogue';
import type { ChainLink, DomainChain, EndpointCounts, Finding, Health, LinkHealth, Severity, TlsSource } from '../model/chain';

/** Which part of the chain a shared finding is about (the node type of its link, never its id). */
export type SharedPart = 'domain' | 'tls' | 'dns' | 'route' | 'ingress' | 'service' | 'endpoint' | 'pod' | 'other';

export interface SharedFinding {
  code: string;
  severity: Severity;
  /** The catalogue's short name of the code, e.g. "No ready endpoints". */
  title: string;
  part: SharedPart;
  /** The catalogue's description of the code (empty for a code the catalogue does not know). */
  message: string;
  /** How many findings of this code said the same thing (e.g. 2 crash-looping Pods). */
  count: number;
}

/** The backend Service of a route, without its name or port. */
export interface SharedService {
  /** ClusterIP, NodePort, LoadBalancer or ExternalName. */
  type: string;
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
  /** The backend names a Service that does not exist (the usual reason `service` is absent). */
  serviceMissing?: true;
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

/** One finding as a client sees it (before grouping): the catalogue's words, never the finding's own. */
export function redactFinding(f: Finding): Omit<SharedFinding, 'count'> {
  const rule = ruleByCode(f.code);
  return { code: f.code, severity: f.severity, title: rule?.title ?? f.code, part: partOf(f.link), message: rule?.description ?? '' };
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
  const routes: SharedRoute[] = d.routes.map((r) => {
    const route: SharedRoute = { path: r.path, pathType: r.pathType, isDefaultBackend: r.isDefaultBackend, health: r.health };
    const s = r.service;
    if (s) {
      const pods = [...s.endpoints.flatMap((e) => (e.pod ? [e.pod] : [])), ...s.podsWithoutEndpoint];
      // One Pod can back several endpoints (dual stack): count Pods once.
      const unique = new Map(pods.map((p) => [p.name, p]));
      route.service = {
        type: s.type,
        health: s.health,
        endpoints: { ready: s.counts.ready, notReady: s.counts.notReady, terminating: s.counts.terminating, total: s.counts.total },
        pods: { total: unique.size, ready: [...unique.values()].filter((p) => p.ready).length },
      };
    } else if (r.backend.service?.name) {
      route.serviceMissing = true;
    }
    return route;
  });

  const grouped = new Map<string, SharedFinding>();
  for (const f of d.findings) {
    const shared = redactFinding(f);
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

/** The answer of GET /api/v1/share/{token}: the redacted view and how long the link works. */
export interface SharedDomainResponse {
  domain: SharedDomain;
  /** The cluster the link shows, given only when this Chainboard watches several. */
  cluster?: string;
  /** When the link stops working (ISO). */
  expiresAt: string;
}

/** The finding a one-line summary leads with: the worst non-info one, if any. */
export function topFinding(d: Pick<SharedDomain, 'findings'>): SharedFinding | undefined {
  return d.findings.find((f) => f.severity !== 'info');
}
