/**
 * Certificate and DNS: for each Ingress serving a host, where the certificate comes from and what it
 * asks external-dns to publish; and the one assembly of a domain's TLS and DNS state from such parts.
 * A namespace's domain has one part per Ingress serving the host; a host served from several namespaces
 * (`combine`) has one part per namespace's domain, and goes through the same assembly.
 * @see https://kubernetes.io/docs/concepts/services-networking/ingress/#tls
 * @see https://kubernetes-sigs.github.io/external-dns/latest/docs/annotations/annotations/
 */
import type { AcmeChainState, AcmeStepState, DnsState, Finding, Health, LinkCheck, LinkHealth, NotCheckedReason, TlsSource, TlsState } from '../../model/chain';
import { nodeId } from '../../model/ids';
import type { PodCondition, SlimIngress } from '../../model/k8s';
import type { HostProbes } from '../../model/probe';
import type { NsContext } from '../context';
import { hostPatternCovers, normalizeHost } from '../hosts';
import { EXTERNAL_DNS_HOSTNAME, EXTERNAL_DNS_TARGET, splitHostnames } from '../rules/dns';
import type { HostSubject } from '../rules/tls';
import { issuingStuck } from '../rules/acme';
import { acmeTrail, certificateReady, condition, type AcmeIndex } from './acme';
import { nodeHealth } from './health';

export const TRAEFIK_CERT_RESOLVER = 'traefik.ingress.kubernetes.io/router.tls.certresolver';
export const TRAEFIK_ROUTER_TLS = 'traefik.ingress.kubernetes.io/router.tls';
export const TRAEFIK_ENTRYPOINTS = 'traefik.ingress.kubernetes.io/router.entrypoints';
export const CERT_MANAGER_CLUSTER_ISSUER = 'cert-manager.io/cluster-issuer';
export const CERT_MANAGER_ISSUER = 'cert-manager.io/issuer';
export const TLS_ACME = 'kubernetes.io/tls-acme';
/** The entrypoint name that means TLS in the Traefik set-up Chainboard serves. */
export const TLS_ENTRYPOINT = 'websecure';

/**
 * Where the certificate of a host comes from, per Ingress: a Traefik cert resolver first, then
 * cert-manager, then a plain Secret named in the `spec.tls` entry covering the host.
 * @see https://doc.traefik.io/traefik/routing/providers/kubernetes-ingress/
 */
export function hostSubject(ingress: SlimIngress, host: string, ctx: NsContext): HostSubject {
  const ann = ingress.metadata.annotations ?? {};
  const tls = ingress.spec?.tls ?? [];
  const tlsEntry = host === '*' ? undefined : tls.find((t) => !t.hosts || t.hosts.length === 0 || t.hosts.some((p) => hostPatternCovers(p, host)));
  const reasons: string[] = [];
  const entrypoints = (ann[TRAEFIK_ENTRYPOINTS] ?? '').split(',').map((e) => e.trim());
  if (entrypoints.includes(TLS_ENTRYPOINT)) reasons.push(`router.entrypoints: ${ann[TRAEFIK_ENTRYPOINTS]}`);
  if (ann[TRAEFIK_ROUTER_TLS] === 'true') reasons.push('router.tls: "true"');
  const resolver = ann[TRAEFIK_CERT_RESOLVER];
  if (resolver) reasons.push(`router.tls.certresolver: ${resolver}`);
  if (tls.length > 0) reasons.push('spec.tls');
  const issuer =
    ann[CERT_MANAGER_CLUSTER_ISSUER] !== undefined
      ? `ClusterIssuer ${ann[CERT_MANAGER_CLUSTER_ISSUER]}`
      : ann[CERT_MANAGER_ISSUER] !== undefined
        ? `Issuer ${ann[CERT_MANAGER_ISSUER]}`
        : ann[TLS_ACME] === 'true'
          ? 'kubernetes.io/tls-acme'
          : undefined;
  const secretName = tlsEntry?.secretName || undefined;
  let source: TlsSource;
  if (resolver) source = secretName ? { type: 'resolver', resolver, secretName } : { type: 'resolver', resolver };
  else if (issuer) source = secretName ? { type: 'cert-manager', issuer, secretName } : { type: 'cert-manager', issuer };
  else if (secretName) source = { type: 'secret', secretName };
  else source = { type: 'none' };
  return {
    ingress,
    host,
    tlsEnabled: reasons.length > 0,
    tlsReasons: reasons,
    tlsEntry,
    source,
    secret: secretName ? ctx.secrets?.get(secretName) : undefined,
    certificates: secretName && ctx.certificates ? ctx.certificates.filter((c) => c.spec?.secretName === secretName) : [],
  };
}

/** The words of a condition: `Ready`, or `Ready=False (Pending)`. */
const conditionWords = (type: string, c: PodCondition | undefined) =>
  !c ? `no ${type} condition` : c.status === 'True' ? type : `${type}=${c.status}${c.reason ? ` (${c.reason})` : ''}`;

/** An ACME Order's or Challenge's state as a step's progress: `valid` is done, the terminal failures failed, the rest under way. */
const acmeProgress = (state: string | undefined): AcmeStepState['progress'] =>
  state === 'valid' ? 'done' : state === 'invalid' || state === 'errored' || state === 'expired' ? 'failed' : 'waiting';

/**
 * cert-manager's request chain behind the host's first Certificate that is not Ready (or whose renewal is
 * stuck), as the steps the diagram draws: the Certificate, its latest CertificateRequest, that request's
 * Order and the Order's Challenges, as far as the chain goes. `undefined` when every Certificate is
 * fine, the certificate comes from a Traefik resolver, or the chain is not read.
 * @see https://cert-manager.io/docs/troubleshooting/acme/
 */
export function acmeChainState(host: string, subject: HostSubject, index: AcmeIndex | undefined, nowMs: number): AcmeChainState | undefined {
  if (!index || subject.source.type === 'resolver') return undefined;
  const cert = subject.certificates.find((c) => !certificateReady(c) || issuingStuck(c, nowMs));
  if (!cert) return undefined;
  const t = acmeTrail(cert, index);
  const quote = (x: string | undefined) => x?.replace(/\s+/g, ' ').trim() || undefined;
  const step = (kind: AcmeStepState['kind'], name: string, state: string, progress: AcmeStepState['progress'], reason?: string, detail?: string): AcmeStepState => ({
    id: nodeId.acmeStep(host, kind, name),
    kind,
    name,
    state,
    progress,
    ...(reason ? { reason } : {}),
    ...(detail ? { detail } : {}),
  });
  const ready = condition(cert.status?.conditions, 'Ready');
  const issuing = condition(cert.status?.conditions, 'Issuing');
  const steps: AcmeStepState[] = [
    // A Ready Certificate is here because its renewal is stuck: that, in the Issuing condition's words.
    certificateReady(cert)
      ? step('Certificate', cert.metadata.name, `Ready, renewal ${issuing?.status === 'False' ? 'failed' : 'stuck'}`, 'waiting', quote(issuing?.message))
      : step('Certificate', cert.metadata.name, conditionWords('Ready', ready), 'waiting', quote(ready?.message)),
  ];
  if (t.request) {
    const r = t.request;
    const rReady = condition(r.status?.conditions, 'Ready');
    const denied = condition(r.status?.conditions, 'Denied');
    const invalid = condition(r.status?.conditions, 'InvalidRequest');
    const failed = denied?.status === 'True' || invalid?.status === 'True' || (rReady?.status === 'False' && rReady.reason === 'Failed');
    const words = denied?.status === 'True' ? 'Denied' : invalid?.status === 'True' ? 'InvalidRequest' : conditionWords('Ready', rReady);
    steps.push(step('CertificateRequest', r.metadata.name, words, rReady?.status === 'True' ? 'done' : failed ? 'failed' : 'waiting', quote((denied?.status === 'True' ? denied : invalid?.status === 'True' ? invalid : rReady)?.message)));
  }
  if (t.order) steps.push(step('Order', t.order.metadata.name, t.order.status?.state ?? 'no state', acmeProgress(t.order.status?.state), quote(t.order.status?.reason)));
  for (const ch of t.challenges) {
    const detail = [ch.spec?.type, ch.spec?.dnsName].filter(Boolean).join(' ');
    steps.push(step('Challenge', ch.metadata.name, ch.status?.state ?? 'no state', acmeProgress(ch.status?.state), quote(ch.status?.reason), detail || undefined));
  }
  // The first step that failed is where the chain broke; else the last one still under way (a pending
  // Order waits on its Challenges, so the deepest waiting step is the one to look at).
  const stuck = steps.find((x) => x.progress === 'failed') ?? [...steps].reverse().find((x) => x.progress === 'waiting');
  return { steps, ...(stuck ? { stuck: stuck.id } : {}), unread: [...t.unread] };
}

/** What one Ingress, or one namespace's domain, says about a host's TLS and DNS. */
export interface TlsDnsPart {
  /** `secretUnreadable`: the source names a Secret and Secrets may not be read. */
  tls: Pick<TlsState, 'enabled' | 'source' | 'secretCertificate' | 'acme'> & { secretUnreadable?: boolean };
  dns: Pick<DnsState, 'annotatedHostnames' | 'loadBalancer'>;
}

/** The addresses a host should resolve to: those the Ingresses publish. */
export interface Expected {
  ips: string[];
  hostnames: string[];
}

/** One host in one namespace: the subjects of the per-Ingress rules, the parts, the expected addresses. */
export interface HostTlsDns {
  subjects: HostSubject[];
  parts: TlsDnsPart[];
  expected: Expected;
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const isIp = (s: string) => IPV4.test(s) || s.includes(':');
const uniqSorted = (xs: Iterable<string>) => [...new Set(xs)].sort();

/** The distinct strings of one list of each part, sorted. */
function union<T>(parts: readonly T[], list: (part: T) => readonly string[]): string[] {
  const all = new Set<string>();
  for (const p of parts) for (const x of list(p)) all.add(x);
  return [...all].sort();
}

/**
 * The TLS and DNS of a host as the Ingresses serving it ask for them (in the order given). What they
 * publish is `status.loadBalancer`, plus the external-dns target annotation, which overrides it.
 */
export function hostTlsDns(ctx: NsContext, host: string, ingresses: readonly SlimIngress[]): HostTlsDns {
  const subjects: HostSubject[] = [];
  const parts: TlsDnsPart[] = [];
  const ips: string[] = [];
  const hostnames: string[] = [];
  for (const ing of ingresses) {
    const subject = hostSubject(ing, host, ctx);
    subjects.push(subject);
    const loadBalancer: string[] = [];
    for (const l of ing.status?.loadBalancer?.ingress ?? []) {
      if (l.ip) (loadBalancer.push(l.ip), ips.push(l.ip));
      else if (l.hostname) (loadBalancer.push(normalizeHost(l.hostname)), hostnames.push(normalizeHost(l.hostname)));
    }
    for (const t of splitHostnames(ing.metadata.annotations?.[EXTERNAL_DNS_TARGET])) (isIp(t) ? ips : hostnames).push(t);
    const tls: TlsDnsPart['tls'] = { enabled: subject.tlsEnabled, source: subject.source };
    if (subject.secret?.certificate) tls.secretCertificate = subject.secret.certificate;
    const acme = acmeChainState(host, subject, ctx.acme, ctx.opts.nowMs);
    if (acme) tls.acme = acme;
    if (!ctx.secrets && usesSecret(subject.source)) tls.secretUnreadable = true;
    parts.push({ tls, dns: { annotatedHostnames: splitHostnames(ing.metadata.annotations?.[EXTERNAL_DNS_HOSTNAME]), loadBalancer } });
  }
  return { subjects, parts, expected: { ips: uniqSorted(ips), hostnames: uniqSorted(hostnames) } };
}

/** Does the certificate of this source live in a Secret Chainboard reads (a plain Secret, or cert-manager's)? */
const usesSecret = (s: TlsSource) => (s.type === 'secret' || s.type === 'cert-manager') && s.secretName !== undefined;

/**
 * Why the probe has nothing to say about a host's certificate or DNS: probing is off; the host is a
 * wildcard, which is never probed; the host was resolved but not dialled (no address); or it has not
 * been probed yet.
 */
function probeReason(host: string, probing: boolean, probes: HostProbes | undefined, link: 'tls' | 'dns'): NotCheckedReason {
  if (!probing) return 'probes-off';
  if (host.includes('*')) return 'wildcard-host';
  if (link === 'tls' && probes?.dns) return 'no-address';
  return 'not-probed';
}

/** A link with no finding against it is `healthy` only when it was checked. */
const linkHealth = (health: Health, check: LinkCheck): LinkHealth => (health === 'healthy' && check.state === 'not-checked' ? 'not-checked' : health);

/**
 * A domain's TLS and DNS state from its parts, its findings and the probe results of its host
 * (`probing`: are probes on at all?). The certificate source (and the Secret's certificate) is that of
 * the first part that names one; TLS is enabled when any part enables it; the hostnames and
 * load-balancer addresses are those of all parts. Each state's health is that of the findings linked to
 * its node, or `not-checked` when it has none and nothing verified it: the certificate is checked by a
 * TLS probe or by the certificate read from the Secret it is served from, DNS only by a DNS probe.
 */
export function assembleTlsDns(
  host: string,
  parts: readonly TlsDnsPart[],
  findings: readonly Finding[],
  probes: HostProbes | undefined,
  probing: boolean,
): { tls: TlsState; dns: DnsState } {
  const tlsId = nodeId.tls(host);
  const dnsId = nodeId.dns(host);
  const picked = parts.find((p) => p.tls.source.type !== 'none');
  const source = picked?.tls.source ?? { type: 'none' };
  let tlsCheck: LinkCheck;
  if (probes?.tls) tlsCheck = { state: 'checked', by: 'probe' };
  else if (usesSecret(source) && picked?.tls.secretCertificate) tlsCheck = { state: 'checked', by: 'secret' };
  else {
    const reasons: NotCheckedReason[] = [probeReason(host, probing, probes, 'tls')];
    if (picked?.tls.secretUnreadable) reasons.push('secret-unreadable');
    tlsCheck = { state: 'not-checked', reasons };
  }
  const tls: TlsState = {
    id: tlsId,
    enabled: parts.some((p) => p.tls.enabled),
    source,
    check: tlsCheck,
    health: linkHealth(nodeHealth(findings, tlsId), tlsCheck),
  };
  if (picked?.tls.secretCertificate) tls.secretCertificate = picked.tls.secretCertificate;
  if (probes?.tls) tls.probe = probes.tls;
  const acme = parts.find((p) => p.tls.acme)?.tls.acme;
  if (acme) tls.acme = acme;
  const dnsCheck: LinkCheck = probes?.dns ? { state: 'checked', by: 'probe' } : { state: 'not-checked', reasons: [probeReason(host, probing, probes, 'dns')] };
  const dns: DnsState = {
    id: dnsId,
    annotatedHostnames: union(parts, (p) => p.dns.annotatedHostnames),
    loadBalancer: union(parts, (p) => p.dns.loadBalancer),
    check: dnsCheck,
    health: linkHealth(nodeHealth(findings, dnsId), dnsCheck),
  };
  if (probes?.dns) dns.probe = probes.dns;
  return { tls, dns };
}
