/**
 * Warning events and data gaps, as the environment and domain pages list them.
 */
import type { EventSummary } from '../../lib/model/chain';
import type { DataGap } from '../../lib/model/snapshot';
import { RelativeTime } from './time';

/** Warning events, newest first, each with its object, reason, count and age. */
export function EventList({ events, empty }: { events: EventSummary[]; empty: string }) {
  if (events.length === 0) return <p className="text-sm text-zinc-600 dark:text-zinc-400">{empty}</p>;
  return (
    <ul className="space-y-2">
      {events.map((e, i) => (
        <li key={`${e.object.kind}/${e.object.name}/${e.reason}/${i}`} className="text-sm">
          <div className="flex flex-wrap items-baseline gap-x-2">
            <span className="font-semibold text-degraded">{e.reason}</span>
            <span className="font-mono text-xs break-all">
              {e.object.kind}/{e.object.name}
            </span>
            {e.count > 1 ? <span className="text-xs text-zinc-600 dark:text-zinc-400">×{e.count}</span> : null}
            {e.lastTimestamp ? (
              <span className="text-xs text-zinc-600 dark:text-zinc-400">
                <RelativeTime at={e.lastTimestamp} />
              </span>
            ) : null}
          </div>
          <p className="break-words text-zinc-700 dark:text-zinc-300">{e.message}</p>
        </li>
      ))}
    </ul>
  );
}

/** Data Chainboard could not read: what is shown may be incomplete (health is then unknown, never healthy). */
export function GapsNotice({ gaps }: { gaps: DataGap[] }) {
  if (gaps.length === 0) return null;
  return (
    <div role="note" className="rounded-md border border-unknown/50 bg-unknown/10 px-3 py-2 text-sm">
      <strong>Some data could not be read</strong>, so parts of this view are unknown:
      <ul className="mt-1 list-disc pl-5">
        {gaps.map((g, i) => (
          <li key={`${g.kind}-${g.namespace ?? ''}-${i}`}>
            {g.kind}
            {g.namespace ? ` in ${g.namespace}` : ''}: {g.reason} - {g.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
