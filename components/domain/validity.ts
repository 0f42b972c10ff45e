/**
 * The certificate validity bar's numbers, as a pure function of the certificate and a clock.
 *
 * The bar depends on the current time, and a page is rendered twice: on the server, then again in the
 * browser to hydrate it. The two renders run at different moments, so a width computed from each one's
 * own `Date.now()` never matches (`11.11258716563786%` on the server, another number in the browser). The
 * clock is therefore `null` in both of those renders (see `useMountedClock` in components/ui/time.tsx), which
 * makes the markup independent of when it is rendered; the real clock takes over once the page is live.
 */
import type { CertificateInfo } from '../../lib/model/k8s';

const DAY = 86_400_000;

export interface Validity {
  /** Share of the lifetime used, 0..1. */
  fraction: number;
  /** The bar's CSS width with two decimals (`11.11%`): a short, exact string, the same wherever computed. */
  width: string;
  /** Whole percent, for `aria-valuenow`. */
  percent: number;
  tone: 'down' | 'degraded' | 'healthy';
  /** `12 days left`, `expired 3 days ago`, `not valid yet`. */
  text: string;
}

/**
 * Where a certificate stands in its lifetime at `now` (epoch ms). `null` when the certificate's dates do
 * not make a lifetime, or when there is no clock yet (`now === null`: the server render and hydration).
 */
export function validityAt(cert: Pick<CertificateInfo, 'notBefore' | 'notAfter'>, now: number | null): Validity | null {
  if (now === null) return null;
  const from = Date.parse(cert.notBefore);
  const to = Date.parse(cert.notAfter);
  if (Number.isNaN(from) || Number.isNaN(to) || to <= from) return null;
  const fraction = Math.min(1, Math.max(0, (now - from) / (to - from)));
  const daysLeft = Math.floor((to - now) / DAY);
  const expired = now > to;
  const early = now < from;
  const lowShare = (to - now) / (to - from) < 1 / 3;
  const tone = expired || early ? 'down' : lowShare ? 'degraded' : 'healthy';
  const text = expired ? `expired ${-daysLeft} day${daysLeft === -1 ? '' : 's'} ago` : early ? 'not valid yet' : `${daysLeft} day${daysLeft === 1 ? '' : 's'} left`;
  return { fraction, width: `${(fraction * 100).toFixed(2)}%`, percent: Math.round(fraction * 100), tone, text };
}
