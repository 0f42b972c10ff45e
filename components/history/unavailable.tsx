/** The one line a page shows when history cannot answer: muted, and everything else renders as usual. */
export function HistoryUnavailable({ reason, className }: { reason: string; className?: string }) {
  return (
    <p role="status" data-testid="history-unavailable" className={`text-xs text-zinc-600 dark:text-zinc-400 ${className ?? ''}`}>
      History unavailable: {reason}
    </p>
  );
}
