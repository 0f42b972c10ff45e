/**
 * Share links from outside: tokens signed here with the server's secret, exactly as the format is
 * documented (lib/share/token.ts: `<base64url(host)>.<expiry seconds>.<base64url(HMAC)>`), and links made
 * through the API; and the check that a token signed with the right secret but an expiry far beyond the
 * 90-day maximum grants nothing.
 */
import { createHmac } from 'node:crypto';
import type { BatteryEnv } from './env';
import { rawRequest } from './http';
import { verdict, type Check } from './report';

/** A share token for `host` expiring at `expiresAtSeconds`, signed with `secret`. */
export function signShareToken(secret: string, host: string, expiresAtSeconds: number): string {
  const expiry = String(Math.floor(expiresAtSeconds));
  const mac = createHmac('sha256', secret).update(`chainboard.share.v1\0${host}\0${expiry}`).digest('base64url');
  return `${Buffer.from(host, 'utf8').toString('base64url')}.${expiry}.${mac}`;
}

/** A link made through `POST /api/v1/share` for a host the cluster serves: its token. */
export async function createShareLink(env: BatteryEnv, host: string): Promise<string> {
  const res = await rawRequest(env.port, {
    method: 'POST',
    target: '/api/v1/share',
    headers: { ...env.auth, 'content-type': 'application/json' },
    body: JSON.stringify({ host, ttl: '1h' }),
  });
  if (res.status !== 201) throw new Error(`POST /api/v1/share for ${host}: ${res.status} ${res.body.toString().slice(0, 200)}`);
  return (JSON.parse(res.body.toString()) as { token: string }).token;
}

/** The text of a badge: its accessible name. */
function badgeText(svg: string): string {
  return /aria-label="([^"]*)"/.exec(svg)?.[1] ?? '(no aria-label)';
}

/** A token with the right signature but an expiry 90 years ahead is refused like a forged one. */
export const longLivedShareCheck: Check<BatteryEnv> = {
  name: 'share-token-90-years-refused',
  timeoutMs: 30_000,
  async run(env) {
    const host = env.hosts[0]!;
    const now = Math.floor(Date.now() / 1000);
    const longLived = signShareToken(env.shareSecret, host, now + 90 * 365 * 24 * 3600);
    const fair = signShareToken(env.shareSecret, host, now + 3600);
    const forged = signShareToken('not-the-secret-of-this-server-0123456789', host, now + 3600);
    const page = await rawRequest(env.port, { target: `/share/${longLived}` });
    const badge = await rawRequest(env.port, { target: `/api/v1/share/${longLived}/badge.svg` });
    const fairBadge = await rawRequest(env.port, { target: `/api/v1/share/${fair}/badge.svg` });
    const forgedBadge = await rawRequest(env.port, { target: `/api/v1/share/${forged}/badge.svg` });
    const said = badgeText(badge.body.toString());
    const forgedSaid = badgeText(forgedBadge.body.toString());
    // Refused like a forgery: a 403 badge that names no host, as the forged token's does.
    const badgeRefused = badge.status === 403 && !said.includes(host) && forgedBadge.status === 403;
    const evidence =
      `90-year token: page ${page.status}, badge ${badge.status} "${said}" ` +
      `(forged token: badge ${forgedBadge.status} "${forgedSaid}"; 1-hour token: badge ${fairBadge.status} "${badgeText(fairBadge.body.toString())}")`;
    return verdict(page.status === 403 && badgeRefused && fairBadge.status === 200, evidence);
  },
};
