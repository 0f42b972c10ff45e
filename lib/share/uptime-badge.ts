import 'server-only';
/**
 * The uptime badge of a share link: `GET /api/v1/share/{token}/uptime.svg?window=30d[&label=]`, e.g.
 * "uptime 30d | 99.95%". The token is checked exactly as for the health badge (signature, expiry, the
 * 90-day limit, CHAINBOARD_SHARE_REVOKED), and a refused one gets the same 403 badge that names no host.
 * The uptime comes from the history of the link's cluster; it needs no live data, so it still answers
 * while the caches sync. A link from before clusters were named reads the cluster serving its host (or,
 * when none does now, the one whose history knows it).
 */
import { chooseHistoryCluster } from '../api/history';
import { UPTIME_WINDOWS, type UptimeWindow } from '../history/types';
import type { App } from '../server/app';
import { BADGE_COLORS, errorBadge, renderBadge } from './badge';
import { shareSecret } from './config';
import type { Badge } from './service';
import { verifyShareToken } from './token';

/** The message colour of an uptime ratio: green from 99.9%, amber from 99%, red below; grey without data. */
export function uptimeColor(ratio: number | null): string {
  if (ratio === null) return BADGE_COLORS.unknown;
  return ratio >= 0.999 ? BADGE_COLORS.healthy : ratio >= 0.99 ? BADGE_COLORS.degraded : BADGE_COLORS.down;
}

/** "99.95%" with two decimals, rounded down (a badge is read at a glance: 99.999 must not read 100%). */
export function badgeRatio(ratio: number): string {
  return ratio >= 1 ? '100%' : `${(Math.floor(ratio * 10_000) / 100).toFixed(2)}%`;
}

export async function sharedUptimeBadge(app: App, token: string, rawWindow: string | null, label: string | null): Promise<Badge> {
  const now = app.now();
  const v = verifyShareToken(token, shareSecret(app.config.share.settings), now, { revoked: app.config.share.revoked });
  if (v.status !== 'ok') {
    const message = v.status === 'expired' ? 'link expired' : v.status === 'disabled' ? 'sharing off' : v.status === 'revoked' ? 'link revoked' : 'invalid link';
    return { status: 403, svg: errorBadge(label || 'chainboard', message) };
  }
  const window = (rawWindow ?? '30d') as UptimeWindow;
  if (!UPTIME_WINDOWS.includes(window)) return { status: 400, svg: errorBadge(label || 'uptime', 'invalid window') };
  const left = label || `uptime ${window}`;
  const history = app.history;
  if (!history.status().available) return { status: 503, svg: errorBadge(left, 'unavailable') };
  const of = await app.share.clusterOfClaims(v.claims);
  if (!of.ok) return { status: 409, svg: errorBadge(left, 'ambiguous link') };
  let cluster = of.cluster;
  if (cluster === undefined) {
    const chosen = await chooseHistoryCluster(app, { host: v.claims.host }, undefined);
    if (!chosen.ok) return { status: 409, svg: errorBadge(left, 'ambiguous link') };
    cluster = chosen.cluster;
  }
  // The uptime windows end now whatever the range asked; the shortest range keeps the read small.
  const data = await history.domain(v.claims.host, { cluster, since: new Date(now.getTime() - 3_600_000), until: now, limit: 1 });
  const u = data?.uptime.find((x) => x.window === window);
  if (!data) return { status: 503, svg: errorBadge(left, 'unavailable') };
  if (!u || u.ratio === null) return { status: 200, svg: renderBadge({ label: left, message: 'no data', color: uptimeColor(null) }) };
  return { status: 200, svg: renderBadge({ label: left, message: badgeRatio(u.ratio), color: uptimeColor(u.ratio) }) };
}
