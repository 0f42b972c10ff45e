/**
 * A domain's incidents, newest first: when, how long, how bad, the finding codes and message, and the
 * changes to its chain just before each ("changed 6 s before it went down: Service booking selector
 * app=booking -> app=bookng"). The share page uses its own redacted list (shared-history.tsx).
 */
import type { Incident } from '../../lib/history/types';
import { HealthBadge } from '../ui/health';
import { changeBeforeText, formatDuration } from './format';
import { LocalTime } from './local-time';

export function IncidentList({ incidents, empty }: { incidents: readonly Incident[]; empty: string }) {
  if (incidents.length === 0) return <p className="text-sm text-zinc-600 dark:text-zinc-400">{empty}</p>;
  return (
    <ol aria-label="Incidents" data-testid="history-incidents" className="divide-y divide-zinc-200 dark:divide-zinc-800">
      {incidents.map((i) => (
        <li key={`${i.host}-${i.start}`} data-testid="history-incident" className="space-y-1 py-2 text-sm">
          <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
            <HealthBadge health={i.worst} size="sm" />
            <span>
              <LocalTime at={i.start} /> – {i.end ? <LocalTime at={i.end} /> : <strong>ongoing</strong>}
            </span>
            <span className="text-zinc-600 dark:text-zinc-400">({formatDuration(i.durationSeconds)})</span>
          </div>
          {i.codes.length > 0 ? (
            <p className="flex flex-wrap gap-1">
              {i.codes.map((c) => (
                <code key={c} className="rounded bg-zinc-100 px-1.5 py-0.5 text-xs dark:bg-zinc-800">
                  {c}
                </code>
              ))}
            </p>
          ) : null}
          {i.message ? <p className="text-zinc-700 [overflow-wrap:anywhere] dark:text-zinc-300">{i.message}</p> : null}
          {i.changesBefore.length > 0 ? (
            <ul aria-label="Changes just before" className="ml-4 list-disc text-xs text-zinc-700 [overflow-wrap:anywhere] dark:text-zinc-300">
              {i.changesBefore.map((c) => (
                <li key={c.id} data-testid="history-change-before">
                  {changeBeforeText(c, i)}
                  {c.helm ? ` (Helm ${c.helm.release}${c.helm.revision ? ` revision ${c.helm.revision}` : ''})` : ''}
                </li>
              ))}
            </ul>
          ) : null}
        </li>
      ))}
    </ol>
  );
}
