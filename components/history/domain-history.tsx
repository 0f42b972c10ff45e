/**
 * The domain page's history: the timeline over 24 h, 7 d or 30 d (tabs are plain links with `?window=`,
 * so they work before the script runs), uptime per window, and the incidents of the window with the
 * changes just before each. Server-rendered from the page's own read of `app.history`.
 */
import Link from 'next/link';
import type { DomainHistory } from '../../lib/history/types';
import { hrefs, type DomainRef } from '../data/keys';
import { WINDOW_TEXT } from './format';
import { IncidentList } from './incident-list';
import type { Loaded, TimelineWindow } from './load';
import { TIMELINE_WINDOWS } from './load';
import { TimelineStrip } from './timeline-strip';
import { HistoryUnavailable } from './unavailable';
import { UptimeList } from './uptime-list';

export function DomainHistorySection({ domain, window, loaded }: { domain: DomainRef; window: TimelineWindow; loaded: Loaded<DomainHistory> }) {
  return (
    <section aria-labelledby="history-h" data-testid="history-section" className="rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
      <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
        <h2 id="history-h" className="text-base font-semibold">
          History
        </h2>
        <nav aria-label="Timeline window">
          <ul className="inline-flex rounded-md border border-zinc-300 p-0.5 text-sm dark:border-zinc-600">
            {TIMELINE_WINDOWS.map((w) => (
              <li key={w}>
                <Link
                  href={`${hrefs.domain(domain)}?window=${w}#history-h`}
                  scroll={false}
                  aria-current={w === window ? 'page' : undefined}
                  data-testid={`history-window-${w}`}
                  className={`block rounded px-3 py-1 font-medium ${
                    w === window ? 'bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900' : 'text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800'
                  }`}
                >
                  {WINDOW_TEXT[w]}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      </div>
      {loaded.ok ? <HistoryBody data={loaded.data} window={window} demo={loaded.demo === true} /> : <HistoryUnavailable reason={loaded.reason} />}
    </section>
  );
}

function HistoryBody({ data, window, demo }: { data: DomainHistory; window: TimelineWindow; demo: boolean }) {
  return (
    <div className="space-y-4">
      {demo ? (
        <p data-testid="history-demo-data" className="rounded border border-dashed border-amber-500 px-2 py-1 text-xs text-amber-900 dark:text-amber-200">
          Demo data: the time before this demo started is a generated past, not a measurement.
        </p>
      ) : null}
      <TimelineStrip input={data} changes={data.changes} label={`Health of ${data.host} over the last ${WINDOW_TEXT[window]}`} />
      {data.nextCursor ? (
        <p className="text-xs text-zinc-600 dark:text-zinc-400">
          Busy window: only the latest {data.transitions.length} health changes and {data.changes.length} object changes are drawn; the API pages through the rest.
        </p>
      ) : null}
      <UptimeList uptime={data.uptime} />
      <div>
        <h3 className="mb-1 text-sm font-semibold">Incidents in the last {WINDOW_TEXT[window]}</h3>
        <IncidentList incidents={data.incidents} empty={`No incident in the last ${WINDOW_TEXT[window]}.`} />
      </div>
    </div>
  );
}
