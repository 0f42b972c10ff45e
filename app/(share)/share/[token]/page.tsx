import type { Metadata } from 'next';
import { getApp } from '@/lib/server/current';
import { LiveSharedDomain } from '@/components/share/LiveSharedDomain';
import { loadDomainHistory, type Loaded } from '@/components/history/load';
import { SharedHistorySection } from '@/components/history/shared-history';
import { redactHistory, type SharedHistory } from '@/lib/share/history';
import type { App } from '@/lib/server/app';
import { sharedTitle } from '@/lib/share/metadata';
import type { SharedOutcome } from '@/lib/share/service';

export const dynamic = 'force-dynamic';

type Params = Promise<{ token: string }>;

/**
 * /share/{token} — what a client is sent: one domain's health, chain summary and findings, redacted, with
 * no session, in a frame of its own (app/(share)/layout.tsx) and refreshed from GET /api/v1/share/{token}. proxy.ts answers refused tokens with a 403 before this renders; the page checks the token
 * again itself and shows the same refusal, so it grants nothing even without the proxy.
 */
export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { token } = await params;
  const app = getApp();
  const shared = await app.share.openSharedDomain(token, app.now());
  const base: Metadata = { robots: { index: false, follow: false }, referrer: 'no-referrer' };
  if (shared.status !== 'ok') return { ...base, title: 'Shared link - Chainboard' };
  const title = sharedTitle(shared.domain.host, shared.domain.health, shared.severalClusters ? shared.cluster : undefined);
  const top = shared.domain.findings.find((f) => f.severity !== 'info');
  const description = top ? `${top.title}: ${top.message}`.slice(0, 200) : 'No problems found.';
  return { ...base, title, description, openGraph: { title, description, type: 'website' }, twitter: { card: 'summary', title, description } };
}

export default async function SharePage({ params }: { params: Params }) {
  const { token } = await params;
  const app = getApp();
  const shared = await app.share.openSharedDomain(token, app.now());
  const history = shared.status === 'refused' ? undefined : <SharedHistorySection loaded={await sharedHistory(app, shared)} />;
  return (
    <div className="flex flex-col gap-6">
      {shared.status === 'ok' && <LiveSharedDomain token={token} initial={{ domain: shared.domain, expiresAt: shared.claims.expiresAt.toISOString() }} history={history} />}
      {shared.status === 'refused' && (
        <section role="alert" className="flex flex-col gap-2">
          <h1 className="text-2xl font-semibold">This share link does not work</h1>
          <p>{shared.message}</p>
        </section>
      )}
      {shared.status === 'unavailable' && <LiveSharedDomain token={token} unavailable={{ host: shared.claims.host, message: shared.message }} history={history} />}
    </div>
  );
}

/**
 * The link's host over the last 30 days in the link's cluster, redacted. Why history is unavailable is
 * not passed on either: the reason can name the database's address.
 */
async function sharedHistory(app: App, shared: Exclude<SharedOutcome, { status: 'refused' }>): Promise<Loaded<SharedHistory>> {
  // A link that cannot say its cluster shows no past either: whose would it be?
  if (shared.status === 'unavailable' && shared.httpStatus === 409) return { ok: false, reason: 'the past of this domain cannot be shown for this link' };
  const loaded = await loadDomainHistory(app, shared.claims.host, '30d', shared.cluster);
  return loaded.ok ? { ok: true, data: redactHistory(loaded.data) } : { ok: false, reason: 'the past of this domain cannot be shown right now' };
}
