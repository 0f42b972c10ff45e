/** Uptime per window ("30 d: 99.2% · 1 h no data"), in the windows' order. */
import { UPTIME_WINDOWS, type Uptime } from '../../lib/history/types';
import { uptimeOf, uptimeText, WINDOW_TEXT } from './format';

export function UptimeList({ uptime }: { uptime: readonly Uptime[] }) {
  const rows = UPTIME_WINDOWS.map((w) => uptimeOf(uptime, w)).filter((u): u is Uptime => u !== undefined);
  if (rows.length === 0) return null;
  return (
    <dl data-testid="history-uptime" className="grid grid-cols-2 gap-2 sm:grid-cols-4">
      {rows.map((u) => (
        <div key={u.window} className="rounded-md border border-zinc-200 px-3 py-2 dark:border-zinc-700" data-window={u.window}>
          <dt className="text-xs text-zinc-600 dark:text-zinc-400">Uptime {WINDOW_TEXT[u.window]}</dt>
          <dd className="text-sm font-semibold tabular-nums">{uptimeText(u)}</dd>
        </div>
      ))}
    </dl>
  );
}
