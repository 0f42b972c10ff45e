/**
 * The changes the demo's generated past puts before a domain's incidents: for each kind of fault, the
 * change on the chain that plausibly caused it (a selector typo before `service.selector-matches-nothing`,
 * a rollout before a crash loop, a renamed Service before `ingress.backend-service-missing`...), and for
 * the short past incidents of healthy domains, a cause and its fix. Read from the current chain, so the
 * names, images and ports are the sample environments' own.
 */
import type { DomainChain, PodSummary } from '../model/chain';
import type { ChangeRecord } from './types';

export type Random = () => number;

/** A change without cluster, time and hosts: those are the generator's. */
export type ChangeDraft = Pick<ChangeRecord, 'kind' | 'name' | 'action' | 'lines'> & { helm?: ChangeRecord['helm'] };

const HASH_CHARS = 'bcdfghjklmnpqrstvwxz2456789';
export const fakeHash = (rnd: Random) => Array.from({ length: 10 }, () => HASH_CHARS[Math.floor(rnd() * HASH_CHARS.length)]).join('');

/** The version before `image`'s tag: `shop:2.0.0` -> `shop:1.9.4`, `orders:v2.3.0` -> `orders:v2.2.1`. */
export function previousImage(image: string, rnd: Random): string {
  const m = /^(.*:v?)(\d+)\.(\d+)\.(\d+)$/.exec(image);
  if (!m) return `${image}-prev`;
  const [, head, maj, min, patch] = m as unknown as [string, string, string, string, string];
  if (+patch > 0) return `${head}${maj}.${min}.${+patch - 1}`;
  if (+min > 0) return `${head}${maj}.${+min - 1}.${1 + Math.floor(rnd() * 5)}`;
  return `${head}${Math.max(0, +maj - 1)}.${1 + Math.floor(rnd() * 9)}.${Math.floor(rnd() * 5)}`;
}

const podsOf = (d: DomainChain): PodSummary[] =>
  d.routes.flatMap((r) => [...(r.service?.endpoints.flatMap((e) => (e.pod ? [e.pod] : [])) ?? []), ...(r.service?.podsWithoutEndpoint ?? [])]);

const firstService = (d: DomainChain) => d.routes.find((r) => r.service)?.service;
const firstRoute = (d: DomainChain) => d.routes[0];
const where = (d: DomainChain) => `${d.host}${firstRoute(d)?.path === '*' ? '/' : firstRoute(d)?.path ?? '/'}`;
const workload = (p: PodSummary | undefined, fallback: string) => {
  const owner = p?.owner?.split('/')[1];
  return owner ? owner.replace(/-[^-]+$/, '') : fallback;
};

interface Workload {
  pod?: PodSummary;
  name: string;
  image: string;
  /** The current ReplicaSet's pod-template-hash. */
  hash: string;
}

function workloadOfDomain(d: DomainChain, rnd: Random): Workload {
  const pod = podsOf(d)[0];
  const svc = firstService(d)?.name ?? firstRoute(d)?.ingress ?? d.host.split('.')[0]!;
  const name = workload(pod, svc);
  return {
    pod,
    name,
    image: pod?.containers.find((c) => c.image)?.image ?? `registry.example/${name}:1.0.0`,
    hash: pod?.owner?.split('/')[1]?.split('-').at(-1) ?? fakeHash(rnd),
  };
}

function rolloutChange(w: Workload, rnd: Random, fromHash: string, toHash: string, fromImage: string, toImage: string): ChangeDraft {
  const name = `${w.name}-${toHash}-${fakeHash(rnd).slice(0, 5)}`;
  return { kind: 'Pod', name, action: 'added', lines: [`rollout ${w.name} ${fromHash} -> ${toHash}`, `image ${fromImage} -> ${toImage}`], helm: { release: w.name } };
}

/** The rollout that brought the domain's workload to its current image. */
export function rollout(d: DomainChain, rnd: Random): ChangeDraft {
  const w = workloadOfDomain(d, rnd);
  return rolloutChange(w, rnd, fakeHash(rnd), w.hash, previousImage(w.image, rnd), w.image);
}

const selectorText = (s: Record<string, string> | undefined) => (s && Object.keys(s).length ? Object.keys(s).sort().map((k) => `${k}=${s[k]}`).join(',') : '(none)');

/** The change that put the domain where it is now, from the code of its top finding. */
export function causeOf(d: DomainChain, codes: string[], rnd: Random): ChangeDraft | undefined {
  const svc = firstService(d);
  const route = firstRoute(d);
  const ingress = route?.ingress ?? d.host.split('.')[0]!;
  const top = d.findings.find((f) => f.severity !== 'info')?.code ?? codes[0];
  const backend = route?.backend.service;
  switch (top) {
    case 'service.selector-matches-nothing':
      return { kind: 'Service', name: svc?.name ?? ingress, action: 'modified', lines: [`selector app=${svc?.name ?? ingress} -> ${selectorText(svc?.selector)}`] };
    case 'service.no-selector':
      return { kind: 'Service', name: svc?.name ?? ingress, action: 'modified', lines: [`selector app=${svc?.name ?? ingress} -> (none)`] };
    case 'service.target-port-unmatched': {
      const target = String(svc?.port?.targetPort ?? 'http');
      return { kind: 'Service', name: svc?.name ?? ingress, action: 'modified', lines: [`targetPort ${/^\d+$/.test(target) ? 'http' : '8080'} -> ${target}`] };
    }
    case 'ingress.backend-service-missing':
      return { kind: 'Service', name: backend?.name ?? ingress, action: 'deleted', lines: [`deleted: type ClusterIP, selector app=${backend?.name ?? ingress}, ports 80/http -> http`] };
    case 'ingress.backend-port-missing':
      return { kind: 'Ingress', name: ingress, action: 'modified', lines: [`backend port 80 -> ${backend?.port?.number ?? backend?.port?.name ?? '?'} (${where(d)})`] };
    case 'ingress.class-missing':
    case 'ingress.class-unknown':
      return { kind: 'Ingress', name: ingress, action: 'modified', lines: [`class traefik-external -> ${route?.ingressClass ?? '(none)'}`] };
    case 'ingress.backend-invalid':
      return { kind: 'Ingress', name: ingress, action: 'modified', lines: [`backend ${ingress}:80 -> resource ${route?.backend.resource?.kind ?? '?'}/${route?.backend.resource?.name ?? '?'} (${where(d)})`] };
    case 'ingress.route-conflict':
    case 'ingress.no-address':
      return { kind: 'Ingress', name: ingress, action: 'added', lines: [`added: class ${route?.ingressClass ?? '(none)'}, ${where(d)} -> ${backend?.name ?? ingress}:${backend?.port?.number ?? backend?.port?.name ?? 80}`] };
    case 'ingress.tls-host-uncovered':
      return { kind: 'Ingress', name: ingress, action: 'modified', lines: [`rule added ${where(d)} -> ${backend?.name ?? ingress}:${backend?.port?.number ?? backend?.port?.name ?? 80}`] };
    case 'dns.annotation-mismatch':
      return { kind: 'Ingress', name: ingress, action: 'modified', lines: [`external-dns hostname ${d.host} -> ${d.dns.annotatedHostnames.join(',') || '(none)'}`] };
    case 'tls.secret-missing':
      return { kind: 'Ingress', name: ingress, action: 'modified', lines: ['traefik router.tls.certresolver letsencrypt -> (none)'] };
    case 'tls.certificate-not-ready': {
      const secret = d.tls.source.type === 'none' ? `${ingress}-tls` : d.tls.source.secretName ?? `${ingress}-tls`;
      return { kind: 'Certificate', name: secret, action: 'added', lines: [`added: secret ${secret}, issuer ${d.tls.source.type === 'cert-manager' ? d.tls.source.issuer.replace(' ', '/') : 'ClusterIssuer/letsencrypt-prod'}, ready False (DoesNotExist)`] };
    }
    case 'tls.secret-host-mismatch': {
      const cert = d.tls.secretCertificate;
      return { kind: 'ServedCertificate', name: d.host, action: 'rotated', lines: [`fingerprint ${fakeFingerprint(rnd)} -> ${cert ? cert.fingerprint256.slice(0, 11) + '…' : fakeFingerprint(rnd)}`, `issuer ${cert?.issuer ?? 'CN=R10'}`, `notAfter ${cert?.notAfter.slice(0, 10) ?? '2027-01-01'}`] };
    }
    // The clock expired the certificate, a node went away: no change on the chain caused it.
    case 'tls.secret-cert-expired':
    case 'pod.terminating-stuck':
    case undefined:
      return undefined;
    default:
      return podsOf(d).length || svc ? rollout(d, rnd) : undefined;
  }
}

const fakeFingerprint = (rnd: Random) => `${Array.from({ length: 4 }, () => Math.floor(rnd() * 256).toString(16).toUpperCase().padStart(2, '0')).join(':')}…`;

/** A short past incident of a healthy domain: what broke it, what it looked like, and what fixed it. */
export interface PastIncident {
  to: 'down' | 'degraded';
  codes: string[];
  message: string;
  cause: ChangeDraft;
  fix: ChangeDraft;
}

export function pastIncident(d: DomainChain, rnd: Random): PastIncident {
  const svc = firstService(d);
  const name = svc?.name ?? firstRoute(d)?.ingress ?? d.host.split('.')[0]!;
  const port = svc?.port ? `port ${svc.port.port}${svc.port.name ? ` (${svc.port.name})` : ''}` : 'port 80';
  const pick = Math.floor(rnd() * 4);
  if (pick === 0 || pick === 2 || !svc) {
    // A release that fails, rolled back to the running one (which gets its old pod-template-hash again).
    const w = workloadOfDomain(d, rnd);
    const bad = w.image.replace(/(\d+)$/, (n) => String(+n + 1));
    const badHash = fakeHash(rnd);
    const cause = rolloutChange(w, rnd, w.hash, badHash, w.image, bad);
    const fix = rolloutChange(w, rnd, badHash, w.hash, bad, w.image);
    if (pick === 2 && svc) {
      return { to: 'degraded', codes: ['pod.not-ready', 'service.some-endpoints-not-ready'], message: `Pod ${cause.name} is Running but not Ready (ContainersNotReady); containers not ready: ${w.name}`, cause, fix };
    }
    return { to: 'down', codes: ['pod.crash-loop', 'service.no-ready-endpoints'], message: `Service ${name} ${port}: 0 of 2 endpoints ready (2 not ready, 0 terminating)`, cause, fix };
  }
  if (pick === 1) {
    const sel = selectorText(svc.selector);
    const typo = sel.replace(/=(.)(.)/, '=$2$1');
    return {
      to: 'down',
      codes: ['service.selector-matches-nothing'],
      message: `Service ${name} selects ${typo} but no Pod in ${d.namespace} has these labels: scaled to zero, or a label typo`,
      cause: { kind: 'Service', name, action: 'modified', lines: [`selector ${sel} -> ${typo}`] },
      fix: { kind: 'Service', name, action: 'modified', lines: [`selector ${typo} -> ${sel}`] },
    };
  }
  return {
    to: 'down',
    codes: ['service.no-endpoints'],
    message: `Service ${name} ${port} has no endpoints: no Pod matches its selector ${selectorText(svc.selector)}`,
    cause: { kind: 'Pod', name, action: 'deleted', lines: [`replicas ${name} 2 -> 0`] },
    fix: { kind: 'Pod', name, action: 'added', lines: [`replicas ${name} 0 -> 1`] },
  };
}
