/**
 * Host name matching: Ingress TLS hosts and external-dns hostnames (one wildcard label), and certificate
 * names by the RFC 6125 rules.
 */

/** Lower-case, without a trailing dot: the form domains are keyed by. */
export function normalizeHost(host: string): string {
  const h = host.trim().toLowerCase();
  return h.endsWith('.') ? h.slice(0, -1) : h;
}

/**
 * Does a host pattern from an Ingress (`spec.tls[].hosts`, the external-dns hostname annotation) cover a
 * rule host? Equal names match; `*.example.com` covers exactly one more label (`a.example.com`, not
 * `a.b.example.com`), and covers the rule host `*.example.com` itself.
 * @see https://kubernetes.io/docs/concepts/services-networking/ingress/#hostname-wildcards
 */
export function hostPatternCovers(pattern: string, host: string): boolean {
  const p = normalizeHost(pattern);
  const h = normalizeHost(host);
  if (p === h) return true;
  if (!p.startsWith('*.')) return false;
  const dot = h.indexOf('.');
  return dot > 0 && h.slice(0, dot) !== '*' && h.slice(dot + 1) === p.slice(2);
}

/**
 * Does a certificate name (a DNS subjectAltName) match a host, per RFC 6125 section 6.4.3 as browsers
 * apply it: the `*` is allowed only as the whole left-most label, matches exactly one label, and is not
 * honoured directly under a top-level domain (`*.com`). A wildcard rule host (`*.example.com`) is
 * covered only by the same wildcard name.
 * @see https://www.rfc-editor.org/rfc/rfc6125#section-6.4.3
 */
export function certificateNameMatches(san: string, host: string): boolean {
  const s = normalizeHost(san);
  const h = normalizeHost(host);
  if (s === h) return true;
  if (!s.startsWith('*.') || s.indexOf('*', 1) !== -1) return false;
  const rest = s.slice(2);
  if (!rest.includes('.')) return false;
  const dot = h.indexOf('.');
  if (dot <= 0) return false;
  const first = h.slice(0, dot);
  return first !== '*' && !first.includes('*') && h.slice(dot + 1) === rest;
}

/** Do any of a certificate's names cover the host? */
export function certificateCovers(sans: readonly string[], host: string): boolean {
  return sans.some((s) => certificateNameMatches(s, host));
}

/** Is this a concrete host a client can resolve and connect to (not `*`, not a wildcard)? */
export function isConcreteHost(host: string): boolean {
  return host !== '*' && !host.startsWith('*.');
}
