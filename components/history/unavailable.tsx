import { RefreshWhileStarting } from './refresh-while-starting';

/** The reasons the store gives while it opens (lib/history/store.ts) and before its first summaries (load.ts). */
const TRANSIENT = new Set(['starting', 'history is loading']);

/** The one line a page shows when history cannot answer: muted, and everything else renders as usual. */
export function HistoryUnavailable({ reason, className }: { reason: string; className?: string }) {
  return (
    <p role="status" data-testid="history-unavailable" className={`text-xs text-zinc-600 dark:text-zinc-400 ${className ?? ''}`}>
      History unavailable: {reason}
      {/* Opening the store and its first summaries pass by themselves in seconds; other reasons (history
          off, a failing database) wait for a reload. */}
      {TRANSIENT.has(reason) ? <RefreshWhileStarting /> : null}
    </p>
  );
}
