/**
 * Readable diffs of an Ingress: only what the engine reads - the class, each rule's host/path -> backend,
 * the TLS entries and the default backend, and the annotations slimming keeps (Traefik router, external-dns,
 * cert-manager). Status (the load balancer address) is left out: the domain's DNS findings report it.
 */
import type { IngressBackend, SlimIngress } from '../model/k8s';

/** `svc:80`, `svc:http`, `resource StorageBucket/static`, or `(none)`. */
export function backendText(b: IngressBackend | undefined): string {
  if (b?.service) {
    const p = b.service.port;
    const port = p?.number ?? p?.name;
    return `${b.service.name ?? '?'}${port !== undefined ? `:${port}` : ''}`;
  }
  if (b?.resource) return `resource ${b.resource.kind ?? '?'}/${b.resource.name ?? '?'}`;
  return '(none)';
}

const className = (i: SlimIngress) => i.spec?.ingressClassName ?? i.metadata.annotations?.['kubernetes.io/ingress.class'];

interface Route {
  where: string;
  backend: IngressBackend | undefined;
  pathType: string | undefined;
}

/** Rules flattened to `host/path` -> route; `*` stands for a rule without a host. */
function routes(i: SlimIngress): Map<string, Route> {
  const out = new Map<string, Route>();
  for (const r of i.spec?.rules ?? []) {
    const host = (r.host ?? '*').toLowerCase();
    for (const p of r.http?.paths ?? []) {
      const path = p.path || '/';
      const where = `${host}${path.startsWith('/') ? '' : '/'}${path}`;
      out.set(where, { where, backend: p.backend, pathType: p.pathType });
    }
  }
  return out;
}

/** The hosts an Ingress's rules claim (lower-case), for changes to an Ingress no chain holds yet. */
export function ingressHosts(i: SlimIngress | undefined): string[] {
  const out = new Set<string>();
  for (const r of i?.spec?.rules ?? []) if (r.host) out.add(r.host.toLowerCase());
  return [...out];
}

const tlsText = (hosts: string[] | undefined) => (hosts?.length ? hosts.join(', ') : '(no hosts)');
const shortAnnotation = (key: string) => key.replace(/^traefik\.ingress\.kubernetes\.io\//, 'traefik ').replace(/^external-dns\.alpha\.kubernetes\.io\//, 'external-dns ');

/** One line that sums up an Ingress, for `added` and `deleted`. */
export function ingressSummary(i: SlimIngress): string {
  const rs = [...routes(i).values()].map((r) => `${r.where} -> ${backendText(r.backend)}`);
  if (i.spec?.defaultBackend) rs.push(`default -> ${backendText(i.spec.defaultBackend)}`);
  const cls = className(i);
  return `${cls ? `class ${cls}, ` : ''}${rs.length ? rs.join(', ') : 'no rules'}`;
}

/** The lines that differ between two versions of an Ingress; [] when nothing the engine reads changed. */
export function diffIngress(a: SlimIngress, b: SlimIngress): string[] {
  const lines: string[] = [];
  const ca = className(a);
  const cb = className(b);
  if (ca !== cb) lines.push(`class ${ca ?? '(none)'} -> ${cb ?? '(none)'}`);

  const ra = routes(a);
  const rb = routes(b);
  for (const [where, r] of rb) {
    const old = ra.get(where);
    if (!old) {
      lines.push(`rule added ${where} -> ${backendText(r.backend)}`);
      continue;
    }
    const sa = old.backend?.service;
    const sb = r.backend?.service;
    if (sa && sb && sa.name !== sb.name) lines.push(`backend service ${sa.name ?? '?'} -> ${sb.name ?? '?'} (${where})`);
    else if (sa && sb) {
      const pa = sa.port?.number ?? sa.port?.name;
      const pb = sb.port?.number ?? sb.port?.name;
      if (pa !== pb) lines.push(`backend port ${pa ?? '(none)'} -> ${pb ?? '(none)'} (${where})`);
    } else if (backendText(old.backend) !== backendText(r.backend)) {
      lines.push(`backend ${backendText(old.backend)} -> ${backendText(r.backend)} (${where})`);
    }
    if (old.pathType !== r.pathType) lines.push(`pathType ${old.pathType ?? '(none)'} -> ${r.pathType ?? '(none)'} (${where})`);
  }
  for (const [where, r] of ra) if (!rb.has(where)) lines.push(`rule removed ${where} -> ${backendText(r.backend)}`);

  const da = backendText(a.spec?.defaultBackend);
  const db = backendText(b.spec?.defaultBackend);
  if (da !== db) lines.push(`default backend ${da} -> ${db}`);

  const ta = a.spec?.tls ?? [];
  const tb = b.spec?.tls ?? [];
  for (let i = 0; i < Math.max(ta.length, tb.length); i++) {
    const x = ta[i];
    const y = tb[i];
    if (!x && y) lines.push(`tls added secret ${y.secretName ?? '(none)'} for ${tlsText(y.hosts)}`);
    else if (x && !y) lines.push(`tls removed secret ${x.secretName ?? '(none)'} for ${tlsText(x.hosts)}`);
    else if (x && y) {
      if (x.secretName !== y.secretName) lines.push(`tls secret ${x.secretName ?? '(none)'} -> ${y.secretName ?? '(none)'}`);
      if (tlsText(x.hosts) !== tlsText(y.hosts)) lines.push(`tls hosts ${tlsText(x.hosts)} -> ${tlsText(y.hosts)}`);
    }
  }

  const aa = a.metadata.annotations ?? {};
  const ab = b.metadata.annotations ?? {};
  for (const key of new Set([...Object.keys(aa), ...Object.keys(ab)])) {
    if (key === 'kubernetes.io/ingress.class') continue; // read as the class above
    if (aa[key] !== ab[key]) lines.push(`${shortAnnotation(key)} ${aa[key] ?? '(none)'} -> ${ab[key] ?? '(none)'}`);
  }
  return lines;
}
