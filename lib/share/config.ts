import 'server-only';
/**
 * Sharing settings (parsed from the variables lib/server/config.ts hands over), and the validation of a
 * link's lifetime. Sharing is off unless
 * `CHAINBOARD_SHARE_SECRET` holds a long enough secret; a short one turns it off (with a reason) rather
 * than signing links that could be forged.
 */
import type { Parsed } from '../api/params';
import { MAX_SHARE_TTL_SECONDS, MIN_SHARE_SECRET_LENGTH, SHARE_LINK_ID_LENGTH, shareLinkId } from './token';

// Defined beside verification, which holds every token to it; re-exported where the other lifetimes are.
export { MAX_SHARE_TTL_SECONDS };

/** The lifetime of a link when the request names none: 7 days. */
export const DEFAULT_SHARE_TTL_SECONDS = 7 * 24 * 3600;
/** The shortest lifetime: 5 minutes. */
export const MIN_SHARE_TTL_SECONDS = 5 * 60;

export type ShareSettings = { enabled: true; secret: string } | { enabled: false; reason: string };

/** Parse `CHAINBOARD_SHARE_SECRET` (lib/server/config.ts reads the environment). */
export function shareSettings(env: Record<string, string | undefined>): ShareSettings {
  const secret = env.CHAINBOARD_SHARE_SECRET;
  if (!secret) return { enabled: false, reason: 'Sharing is off: CHAINBOARD_SHARE_SECRET is not set.' };
  if (secret.length < MIN_SHARE_SECRET_LENGTH) {
    return { enabled: false, reason: `Sharing is off: CHAINBOARD_SHARE_SECRET must be at least ${MIN_SHARE_SECRET_LENGTH} characters.` };
  }
  return { enabled: true, secret };
}

/** The secret to verify with, or `undefined` when sharing is off (every token is then `disabled`). */
export function shareSecret(settings: ShareSettings): string | undefined {
  return settings.enabled ? settings.secret : undefined;
}

const LINK_ID = new RegExp(`^[A-Za-z0-9_-]{${SHARE_LINK_ID_LENGTH}}$`);

/**
 * The link ids of `CHAINBOARD_SHARE_REVOKED`: separated by commas or white space, each a link id (as the
 * Share button and POST /api/v1/share show it), a whole token, or a whole link (`.../share/<token>`).
 * Anything else cannot name a link and is left out.
 */
export function parseRevoked(raw: string | undefined): ReadonlySet<string> {
  const ids = new Set<string>();
  for (const entry of (raw ?? '').split(/[\s,]+/)) {
    if (!entry) continue;
    const token = entry.includes('/share/') ? (entry.split('/share/')[1] ?? '').split(/[?#]/)[0]! : entry;
    const id = LINK_ID.test(token) ? token : shareLinkId(token);
    if (id) ids.add(id);
  }
  return ids;
}

/** `CHAINBOARD_PUBLIC_URL`, if it is a valid http(s) URL. */
export function parsePublicUrl(raw: string | undefined): URL | undefined {
  if (!raw) return undefined;
  try {
    const u = new URL(raw);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u : undefined;
  } catch {
    return undefined;
  }
}

const UNIT: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/**
 * A link lifetime: seconds as a number or digit string, or `<n>m`, `<n>h`, `<n>d`. Absent means
 * {@link DEFAULT_SHARE_TTL_SECONDS}; it must lie between 5 minutes and 90 days.
 */
export function parseTtl(raw: unknown): Parsed<number> {
  if (raw === undefined || raw === null || raw === '') return { ok: true, value: DEFAULT_SHARE_TTL_SECONDS };
  let seconds: number;
  if (typeof raw === 'number') {
    if (!Number.isInteger(raw)) return { ok: false, error: 'ttl must be a whole number of seconds' };
    seconds = raw;
  } else if (typeof raw === 'string') {
    const m = /^(\d{1,9})([smhd]?)$/.exec(raw.trim());
    if (!m) return { ok: false, error: 'ttl must be seconds or a duration such as 30m, 12h or 7d' };
    seconds = Number(m[1]) * (UNIT[m[2] || 's'] ?? 1);
  } else {
    return { ok: false, error: 'ttl must be a number of seconds or a duration string' };
  }
  if (seconds < MIN_SHARE_TTL_SECONDS) return { ok: false, error: `ttl must be at least ${MIN_SHARE_TTL_SECONDS} seconds (5 minutes)` };
  if (seconds > MAX_SHARE_TTL_SECONDS) return { ok: false, error: `ttl must be at most ${MAX_SHARE_TTL_SECONDS} seconds (90 days)` };
  return { ok: true, value: seconds };
}
