/**
 * The words for a TLS or DNS link that was not checked, shared by the web UI and the CLI so both say the
 * same thing.
 */
import type { DomainChain, LinkCheck, NotCheckedReason, TraefikNotCheckedReason, TraefikState } from './chain';

/** Each reason in a few words, as the diagram node and the CLI line show it. */
export const NOT_CHECKED_TEXT: Record<NotCheckedReason, string> = {
  'probes-off': 'probes off',
  'not-probed': 'not yet probed',
  'no-address': 'no address to dial',
  'wildcard-host': 'wildcard host',
  'secret-unreadable': 'Secret not readable',
};

/** `not checked (probes off, Secret not readable)`; undefined for a checked link. */
export function notCheckedText(check: LinkCheck): string | undefined {
  if (check.state === 'checked') return undefined;
  return `not checked (${check.reasons.map((r) => NOT_CHECKED_TEXT[r]).join(', ')})`;
}

/** Each reason as a sentence, for the details panels. */
export const NOT_CHECKED_WHY: Record<NotCheckedReason, string> = {
  'probes-off': 'Probes are off (CHAINBOARD_PROBE=off, --no-probe, or a dump is analysed), so nothing was dialled or resolved.',
  'not-probed': 'Probes are on but have no result for this host yet.',
  'no-address': 'The probe resolved the host but had no address to dial: the Ingress status publishes no load balancer, or its address is not allowed.',
  'wildcard-host': 'A wildcard host names no single domain to dial or resolve.',
  'secret-unreadable': 'The certificate is in a Secret Chainboard may not read.',
};

/** How a link was checked, in words: `by the TLS probe`, `not checked (probes off)`. */
export function checkText(check: LinkCheck, link: 'tls' | 'dns' | 'http'): string {
  if (check.state === 'not-checked') return notCheckedText(check)!;
  if (check.by === 'secret') return 'checked from the certificate in the Secret';
  return link === 'tls' ? 'checked by a TLS handshake' : link === 'dns' ? 'checked by a DNS lookup' : 'checked by HTTPS requests';
}

/**
 * What a domain without findings can honestly claim: `undefined` when its TLS and DNS were both checked,
 * else the links that were not, with why (`TLS and DNS not checked (wildcard host)`), so "every link is
 * healthy" is never said of a link nothing looked at.
 */
export function uncheckedLinksText(d: Pick<DomainChain, 'tls' | 'dns'> & Partial<Pick<DomainChain, 'http'>>): string | undefined {
  const links = [
    { name: 'TLS', check: d.tls.check },
    { name: 'DNS', check: d.dns.check },
    ...(d.http ? [{ name: 'HTTP', check: d.http.check }] : []),
  ].filter((l) => l.check?.state === 'not-checked');
  if (links.length === 0) return undefined;
  const whys = links.map((l) => notCheckedText(l.check)!);
  if (links.length > 1 && whys.every((w) => w === whys[0])) {
    const names = links.map((l) => l.name);
    return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]} ${whys[0]}`;
  }
  return links.map((l, i) => `${l.name} ${whys[i]}`).join('; ');
}

/** Why Traefik's view of a domain was not checked, in a few words. */
export const TRAEFIK_NOT_CHECKED_TEXT: Record<TraefikNotCheckedReason, string> = {
  'api-off': "Traefik's API not configured",
  'api-pending': "Traefik's API not read yet",
  'api-unreachable': "Traefik's API unreachable",
  'middlewares-off': 'Middlewares not read',
  'gateway-routes': "HTTPRoutes only: the Gateway controller's status is their verdict",
};

/**
 * How Traefik's view of a domain was checked, in words: `not checked (Traefik's API unreachable:
 * timed out)`, `stale since 12:00:00Z (timed out)`; undefined for a fresh answer.
 */
export function traefikCheckText(t: Pick<TraefikState, 'check'>): string | undefined {
  const c = t.check;
  if (c.state === 'checked') return c.staleSince ? `stale since ${c.staleSince}${c.error ? ` (${c.error})` : ''}` : undefined;
  return `not checked (${c.reasons.map((r) => TRAEFIK_NOT_CHECKED_TEXT[r]).join(', ')}${c.error ? `: ${c.error}` : ''})`;
}
