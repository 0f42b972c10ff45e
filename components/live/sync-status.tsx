'use client';
import { formatUtc } from '../ui/format';
import { useLiveReport } from './context';

/**
 * The header's sync indicator: live, stale (cluster unreachable: last good data shown), syncing, or
 * Chainboard unreachable. The state word is announced politely when it changes (the page itself shows
 * how long ago it was updated).
 */
export function SyncStatus() {
  const r = useLiveReport();
  if (!r) return null;
  let state: { word: string; tone: string; detail?: string };
  if (r.errorStatus === 0) state = { word: 'Offline', tone: 'bg-down', detail: 'Chainboard does not answer' };
  else if (r.sync?.stale) state = { word: 'Stale', tone: 'bg-degraded', detail: `cluster unreachable since ${formatUtc(r.sync.stale.since)}` };
  else if (r.sync && !r.sync.ready) state = { word: 'Syncing', tone: 'bg-unknown' };
  else state = { word: 'Live', tone: 'bg-healthy' };
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
