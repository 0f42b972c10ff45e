/**
 * Readable diffs of a Service and of a cert-manager Certificate: only what the engine reads. A Service's
 * selector, type, ExternalName, publishNotReadyAddresses and ports (matched by name, else by number); a
 * Certificate's Ready condition, notAfter, Secret, DNS names and issuer.
 */
import type { ServicePort, SlimCertManagerCertificate, SlimService } from '../model/k8s';

/** `app=booking,tier=web`, sorted by key; `(none)` when empty. */
export function selectorText(s: Record<string, string> | undefined): string {
  const keys = s ? Object.keys(s).sort() : [];
  return keys.length ? keys.map((k) => `${k}=${s![k]}`).join(',') : '(none)';
}

const portKey = (p: ServicePort) => p.name || String(p.port);
const targetText = (p: ServicePort) => String(p.targetPort ?? p.port);
const portText = (p: ServicePort) => `${p.port}${p.name ? `/${p.name}` : ''} -> ${targetText(p)}`;

/** One line that sums up a Service, for `added` and `deleted`. */
export function serviceSummary(s: SlimService): string {
  const type = s.spec?.type ?? 'ClusterIP';
  if (type === 'ExternalName') return `type ExternalName ${s.spec?.externalName ?? '(none)'}`;
  const ports = (s.spec?.ports ?? []).map(portText).join(', ') || 'no ports';
  return `type ${type}, selector ${selectorText(s.spec?.selector)}, ports ${ports}`;
}

/** The lines that differ between two versions of a Service; [] when nothing the engine reads changed. */
export function diffService(a: SlimService, b: SlimService): string[] {
  const lines: string[] = [];
  const sa = selectorText(a.spec?.selector);
  const sb = selectorText(b.spec?.selector);
  if (sa !== sb) lines.push(`selector ${sa} -> ${sb}`);
  const ta = a.spec?.type ?? 'ClusterIP';
  const tb = b.spec?.type ?? 'ClusterIP';
  if (ta !== tb) lines.push(`type ${ta} -> ${tb}`);
  if (a.spec?.externalName !== b.spec?.externalName) lines.push(`externalName ${a.spec?.externalName ?? '(none)'} -> ${b.spec?.externalName ?? '(none)'}`);
  if (!!a.spec?.publishNotReadyAddresses !== !!b.spec?.publishNotReadyAddresses) {
    lines.push(`publishNotReadyAddresses ${!!a.spec?.publishNotReadyAddresses} -> ${!!b.spec?.publishNotReadyAddresses}`);
  }

  const pa = new Map((a.spec?.ports ?? []).map((p) => [portKey(p), p]));
  const pb = new Map((b.spec?.ports ?? []).map((p) => [portKey(p), p]));
  // A port renamed or renumbered in place is one change, not a removal and an addition.
  const onlyA = [...pa.keys()].filter((k) => !pb.has(k));
  const onlyB = [...pb.keys()].filter((k) => !pa.has(k));
  if (onlyA.length === 1 && onlyB.length === 1) {
    const x = pa.get(onlyA[0]!)!;
    const y = pb.get(onlyB[0]!)!;
    pa.delete(onlyA[0]!);
    pb.delete(onlyB[0]!);
    pa.set('\0pair', x);
    pb.set('\0pair', y);
  }
  for (const [k, y] of pb) {
    const x = pa.get(k);
    if (!x) {
      lines.push(`port added ${portText(y)}`);
      continue;
    }
    const label = `port ${y.name || y.port}`;
    if (x.port !== y.port) lines.push(`${label} number ${x.port} -> ${y.port}`);
    if ((x.name ?? '') !== (y.name ?? '')) lines.push(`port ${y.port} name ${x.name || '(none)'} -> ${y.name || '(none)'}`);
    if (targetText(x) !== targetText(y)) lines.push(`targetPort ${targetText(x)} -> ${targetText(y)}${pb.size > 1 ? ` (${label})` : ''}`);
    if ((x.protocol ?? 'TCP') !== (y.protocol ?? 'TCP')) lines.push(`${label} protocol ${x.protocol ?? 'TCP'} -> ${y.protocol ?? 'TCP'}`);
  }
  for (const [k, x] of pa) if (!pb.has(k)) lines.push(`port removed ${portText(x)}`);
  return lines;
}

const readyText = (c: SlimCertManagerCertificate) => {
  const r = c.status?.conditions?.find((x) => x.type === 'Ready');
  return r ? `${r.status}${r.reason ? ` (${r.reason})` : ''}` : '(none)';
};
const issuerText = (c: SlimCertManagerCertificate) => {
  const i = c.spec?.issuerRef;
  return i?.name ? `${i.kind ?? 'Issuer'}/${i.name}` : '(none)';
};
const namesText = (c: SlimCertManagerCertificate) => (c.spec?.dnsNames ?? []).join(', ') || '(none)';

/** One line that sums up a Certificate, for `added` and `deleted`. */
export function certificateSummary(c: SlimCertManagerCertificate): string {
  return `secret ${c.spec?.secretName ?? '(none)'}, issuer ${issuerText(c)}, ready ${readyText(c)}`;
}

/** The lines that differ between two versions of a Certificate; [] when nothing the engine reads changed. */
export function diffCertificate(a: SlimCertManagerCertificate, b: SlimCertManagerCertificate): string[] {
  const lines: string[] = [];
  const pairs: [string, string, string][] = [
    ['ready', readyText(a), readyText(b)],
    ['notAfter', a.status?.notAfter ?? '(none)', b.status?.notAfter ?? '(none)'],
    ['secret', a.spec?.secretName ?? '(none)', b.spec?.secretName ?? '(none)'],
    ['dnsNames', namesText(a), namesText(b)],
    ['issuer', issuerText(a), issuerText(b)],
  ];
  for (const [what, x, y] of pairs) if (x !== y) lines.push(`${what} ${x} -> ${y}`);
  return lines;
}
