/**
 * Shields-style status badges ("flat" style: a grey label, a coloured message) as standalone SVG. Pure
 * string rendering: no fonts are loaded, text widths are estimated from Verdana 11px advance widths, the
 * font shields.io measures with.
 *
 * @see https://github.com/badges/shields/blob/master/spec/SPECIFICATION.md
 */
import { ruleByCode } from '../chain/catalogue';
import type { Health } from '../model/chain';

/** Message colours, the same as the dashboard's health colours (app/globals.css); white text passes WCAG AA on each. */
export const BADGE_COLORS: Readonly<Record<Health | 'error', string>> = {
  healthy: '#15803d',
  degraded: '#b45309',
  down: '#b91c1c',
  unknown: '#6b7280',
  error: '#6b7280',
};

const LABEL_COLOR = '#555';
const MAX_TEXT = 60;
const PAD = 6;

// Approximate Verdana 11px advance widths, by character class. Close enough for a badge whose box
// must contain its text; the text is centred, so a small error only changes the padding.
function charWidth(c: string): number {
  if (' ilj.,:;!|\'`'.includes(c)) return 3.5;
  if ('frt()[]{}-/\\'.includes(c)) return 4.6;
  if ('mw'.includes(c)) return 10.7;
  if ('MW'.includes(c)) return 11.5;
  if (/[0-9]/.test(c)) return 7;
  if (/[a-z]/.test(c)) return 6.6;
  if (/[A-Z]/.test(c)) return 7.6;
  return 7.5;
}

/** Estimated rendered width of a text in Verdana 11px. */
export function textWidth(text: string): number {
  let w = 0;
  for (const c of text) w += charWidth(c);
  return Math.round(w * 10) / 10;
}

/** Escape text for XML character data and attribute values. */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

function clip(s: string): string {
  // Control characters have no business in a badge (and some are not allowed in XML at all).
  const clean = s.replace(/[\u0000-\u001f\u007f]/g, ' ').trim();
  return [...clean].length > MAX_TEXT ? `${[...clean].slice(0, MAX_TEXT - 1).join('')}…` : clean;
}

export interface BadgeSpec {
  label: string;
  message: string;
  /** A CSS colour for the message half, e.g. from {@link BADGE_COLORS}. */
  color: string;
}

/** Render a badge. Label and message are clipped to 60 characters and XML-escaped. */
export function renderBadge(spec: BadgeSpec): string {
  const label = clip(spec.label);
  const message = clip(spec.message);
  const color = /^#[0-9a-f]{3,8}$/i.test(spec.color) ? spec.color : BADGE_COLORS.unknown;
  const lw = Math.ceil(textWidth(label) + 2 * PAD);
  const mw = Math.ceil(textWidth(message) + 2 * PAD);
  const w = lw + mw;
  const title = escapeXml(`${label}: ${message}`);
  const l = escapeXml(label);
  const m = escapeXml(message);
  const lx = lw / 2;
  const mx = lw + mw / 2;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="20" role="img" aria-label="${title}">` +
    `<title>${title}</title>` +
    `<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>` +
    `<clipPath id="r"><rect width="${w}" height="20" rx="3" fill="#fff"/></clipPath>` +
    `<g clip-path="url(#r)"><rect width="${lw}" height="20" fill="${LABEL_COLOR}"/><rect x="${lw}" width="${mw}" height="20" fill="${color}"/><rect width="${w}" height="20" fill="url(#s)"/></g>` +
    `<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11" text-rendering="geometricPrecision">` +
    `<text x="${lx}" y="15" fill="#010101" fill-opacity=".3" aria-hidden="true">${l}</text><text x="${lx}" y="14">${l}</text>` +
    `<text x="${mx}" y="15" fill="#010101" fill-opacity=".3" aria-hidden="true">${m}</text><text x="${mx}" y="14">${m}</text>` +
    `</g></svg>`
  );
}

/** The short reason of a finding code: its catalogue title, lower-cased ("no ready endpoints"). */
export function shortReason(code: string | undefined): string | undefined {
  if (!code) return undefined;
  const title = ruleByCode(code)?.title ?? code;
  // Keep acronyms (TLS, DNS) as they are; lower-case only a leading capital followed by lower case.
  return title.replace(/^([A-Z])(?=[a-z])/, (c) => c.toLowerCase());
}

/** "down: no ready endpoints", "healthy": the message of a domain's badge. */
export function healthMessage(health: Health, reasonCode?: string): string {
  const reason = health === 'healthy' ? undefined : shortReason(reasonCode);
  return reason ? `${health}: ${reason}` : health;
}

/** The badge of a domain's health, labelled with the host unless another label is given. */
export function domainBadge(input: { host: string; health: Health; reasonCode?: string; label?: string }): string {
  return renderBadge({ label: input.label ?? input.host, message: healthMessage(input.health, input.reasonCode), color: BADGE_COLORS[input.health] });
}

/** A badge for when there is no health to show (not found, link refused, not synced). */
export function errorBadge(label: string, message: string): string {
  return renderBadge({ label, message, color: BADGE_COLORS.error });
}
