/**
 * The share page's history: uptime per window and the incidents, from the redacted history only
 * (lib/share/history.ts), so nothing here can name an object of the cluster.
 */
import type { SharedHistory } from '../../lib/share/history';
import { HealthBadge } from '../ui/health';
import { formatDuration } from './format';
import type { Loaded } from './load';
import { LocalTime } from './local-time';
import { HistoryUnavailable } from './unavailable';
import { UptimeList } from './uptime-list';

export function SharedHistorySection({ loaded }: { loaded: Loaded<SharedHistory> }) {
  return (
    <section aria-labelledby="shared-history-h" data-testid="history-section" className="flex flex-col gap-3">
      <h2 id="shared-history-h" className="text-lg font-semibold">
        History
      </h2>
      {loaded.ok ? (
        <>
          <UptimeList uptime={loaded.data.uptime} />
          <h3 className="text-sm font-semibold">Incidents in the last 30 days</h3>
          {loaded.data.incidents.length === 0 ? (
            <p className="text-sm text-zinc-600 dark:text-zinc-400">No incident in the last 30 days.</p>
          ) : (
            <ol aria-label="Incidents" data-testid="history-incidents" className="divide-y divide-zinc-200 dark:divide-zinc-800">
              {loaded.data.incidents.map((i) => (
                <li key={i.start} data-testid="history-incident" className="flex flex-col gap-1 py-2 text-sm">
                  <span className="flex flex-wrap items-center gap-2">
                    <HealthBadge health={i.worst} size="sm" />
                    <span>
                      <LocalTime at={i.start} /> – {i.end ? <LocalTime at={i.end} /> : <strong>ongoing</strong>}
                    </span>
                    <span className="text-zinc-600 dark:text-zinc-400">({formatDuration(i.durationSeconds)})</span>
                  </span>
                  {i.titles.length > 0 ? <span className="text-zinc-700 dark:text-zinc-300">{i.titles.join(' · ')}</span> : null}
                </li>
              ))}
            </ol>
          )}
        </>
      ) : (
        <HistoryUnavailable reason={loaded.reason} />
      )}
    </section>
  );
}
