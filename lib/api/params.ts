/**
 * Validation of the path and query parameters of the dashboard's routes and JSON API. Pure: each
 * function returns either the clean value or a message for a 400 response.
 */

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const LABEL = '[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?';
const HOST_RE = new RegExp(`^(\\*\\.)?${LABEL}(\\.${LABEL})*$`);
const NAMESPACE_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * A domain as Chainboard names it: a DNS name (lower-cased), a wildcard `*.example.com`, or `*` for
 * rules without a host.
 * @see https://kubernetes.io/docs/concepts/services-networking/ingress/#hostname-wildcards
 */
export function parseHost(raw: string | undefined | null): Parsed<string> {
  if (raw === undefined || raw === null || raw === '') return { ok: false, error: 'host is required' };
  let host: string;
  try {
    host = decodeURIComponent(raw).trim().toLowerCase();
  } catch {
    return { ok: false, error: 'host is not valid percent-encoding' };
  }
  if (host.endsWith('.')) host = host.slice(0, -1);
  if (host === '*') return { ok: true, value: host };
  if (host.length > 253) return { ok: false, error: `host is longer than 253 characters` };
  if (!HOST_RE.test(host)) {
    return { ok: false, error: `"${truncate(host)}" is not a valid host name (RFC 1123, optionally "*." in front)` };
  }
  return { ok: true, value: host };
}

/**
 * A namespace name: an RFC 1123 DNS label.
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#dns-label-names
 */
export function parseNamespace(raw: string | undefined | null): Parsed<string> {
  if (raw === undefined || raw === null || raw === '') return { ok: false, error: 'namespace is required' };
  let ns: string;
  try {
    ns = decodeURIComponent(raw);
  } catch {
    return { ok: false, error: 'namespace is not valid percent-encoding' };
  }
  if (ns.length > 63 || !NAMESPACE_RE.test(ns)) {
    return { ok: false, error: `"${truncate(ns)}" is not a valid namespace name (RFC 1123 label: lower-case letters, digits and "-", at most 63)` };
  }
  return { ok: true, value: ns };
}

/** A non-negative integer query parameter with a default and an upper bound. */
export function parseIntParam(raw: string | null | undefined, name: string, dflt: number, max: number): Parsed<number> {
  if (raw === null || raw === undefined || raw === '') return { ok: true, value: dflt };
  if (!/^\d+$/.test(raw)) return { ok: false, error: `${name} must be a non-negative integer` };
  const n = Number(raw);
  if (n > max) return { ok: false, error: `${name} must be at most ${max}` };
  return { ok: true, value: n };
}

function truncate(s: string): string {
  return s.length > 80 ? `${s.slice(0, 80)}…` : s;
}
