'use client';
import { formatUtc } from '../ui/format';
import { useLiveReport } from './context';
import { syncState } from './freshness';

/**
 * The header's sync indicator: live, stale (cluster unreachable: last good data shown), possibly stale
 * (watches silent past their bookmark period), syncing, or Chainboard unreachable. The state word is
 * announced politely when it changes (the page itself shows how long ago it was updated).
 */
export function SyncStatus() {
  const r = useLiveReport();
  if (!r) return null;
  const state = syncState(r, formatUtc);
  return (
    <p className="flex items-center gap-2 text-xs text-zinc-600 dark:text-zinc-300" title={state.detail}>
      <span aria-hidden="true" className={`inline-block h-2 w-2 rounded-full ${state.tone}`} />
      <span role="status" className="font-semibold">
        {state.word}
        {state.detail ? <span className="sr-only">: {state.detail}</span> : null}
      </span>
    </p>
  );
}
