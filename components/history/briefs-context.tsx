'use client';
/**
 * The history briefs of a list page, handed from the server render to the rows through context, so the
 * live views (refreshed by SWR) need no prop threaded through them. A row whose domain the server did not
 * brief (a search typed after the page loaded) shows nothing of history.
 */
import { createContext, useContext, type ReactNode } from 'react';
import type { Health } from '../../lib/model/chain';
import type { HistoryBriefs } from './briefs';
import { WINDOW_TEXT } from './format';
import { SinceText } from './local-time';
import { HistoryUnavailable } from './unavailable';

const BriefsContext = createContext<HistoryBriefs | undefined>(undefined);

export function HistoryBriefsProvider({ briefs, children }: { briefs: HistoryBriefs; children: ReactNode }) {
  return <BriefsContext.Provider value={briefs}>{children}</BriefsContext.Provider>;
}

/** The page's "History unavailable: <reason>" line, when it is. */
export function HistoryBriefsNotice({ className }: { className?: string }) {
  const briefs = useContext(BriefsContext);
  return briefs?.unavailable ? <HistoryUnavailable reason={briefs.unavailable} className={className} /> : null;
}

/**
 * "Down since 03:12 (2 h 14 min) · 30 d 99.2%" for one domain row. The since-when only while it agrees
 * with the row's live health: the briefs are from the page's render, the row refreshes itself.
 */
export function HostHistoryInline({ host, health, className }: { host: string; health: Health; className?: string }) {
  const briefs = useContext(BriefsContext);
  const b = briefs?.hosts[host];
  if (!briefs || !b) return null;
  const since = b.since && b.since.state === health ? b.since : undefined;
  if (!since && !b.uptime) return null;
  return (
    <span className={`text-xs text-zinc-600 dark:text-zinc-400 ${className ?? ''}`} data-testid="history-host">
      {since ? <SinceText state={since.state} since={since.since} /> : null}
      {since && b.uptime ? ' · ' : null}
      {b.uptime ? (
        <span data-testid="history-uptime-inline">
          {WINDOW_TEXT[briefs.window]} uptime {b.uptime}
        </span>
      ) : null}
    </span>
  );
}

/** "30 d uptime 99.4%" over an environment's domains, when history has any. */
export function NamespaceUptimeInline({ namespace, className }: { namespace: string; className?: string }) {
  const briefs = useContext(BriefsContext);
  const ratio = briefs?.namespaces[namespace];
  if (!briefs || !ratio) return null;
  return (
    <span className={`text-xs text-zinc-600 dark:text-zinc-400 ${className ?? ''}`} data-testid="history-namespace-uptime">
      {WINDOW_TEXT[briefs.window]} uptime {ratio} over its domains
    </span>
  );
}
