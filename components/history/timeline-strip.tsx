/**
 * The timeline strip: health as coloured segments over the window, changes as ticks above it, the two
 * ends' times under it and a legend. Colour is never the only signal: the strip carries a text
 * alternative (each state's share of the window and the number of changes), no-data is hatched, and the
 * incident list below says the same in words. Renders on the server; only its times are client parts.
 */
import type { HistoryState } from '../../lib/history/types';
import { formatUtcMinute, STATE_TEXT } from './format';
import { LocalTime } from './local-time';
import { layoutSegments, layoutTicks, stateShares, type TimelineInput } from './timeline';

const FILL: Record<HistoryState, string> = {
  healthy: 'bg-healthy',
  degraded: 'bg-degraded',
  down: 'bg-down',
  unknown: 'bg-unknown',
  'no-data': 'bg-zinc-200 dark:bg-zinc-700',
};
// Hatched, so no data never reads as a colour of health (inline style: style-src allows it).
const HATCH = { backgroundImage: 'repeating-linear-gradient(135deg, rgba(113,113,122,.55) 0 2px, transparent 2px 6px)' };

function Swatch({ state }: { state: HistoryState }) {
  return <span aria-hidden="true" className={`inline-block h-3 w-4 rounded-sm ${FILL[state]}`} style={state === 'no-data' ? HATCH : undefined} />;
}

export function TimelineStrip({ input, changes, label }: { input: TimelineInput; changes: readonly { at: string }[]; label: string }) {
  const segments = layoutSegments(input);
  const ticks = layoutTicks(input.since, input.until, changes);
  const shares = stateShares(segments);
  const alt = `${label}: ${shares.map((s) => `${STATE_TEXT[s.state].toLowerCase()} ${(s.share * 100).toFixed(1)}%`).join(', ') || 'nothing recorded'}; ${changes.length} change${changes.length === 1 ? '' : 's'}.`;
  return (
    <figure className="space-y-1" data-testid="history-timeline">
      <div className="relative h-3" aria-hidden="true">
        {ticks.map((t) => (
          <span
            key={t.at}
            data-testid="history-tick"
            title={`${t.count} change${t.count === 1 ? '' : 's'} at ${formatUtcMinute(t.at)}`}
            className="absolute top-0 h-3 w-0.5 -translate-x-1/2 bg-zinc-800 dark:bg-zinc-200"
            style={{ left: t.left }}
          />
        ))}
      </div>
      <div role="img" aria-label={alt} className="relative h-6 w-full overflow-hidden rounded bg-zinc-100 dark:bg-zinc-800">
        {segments.map((s) => (
          <span
            key={s.start}
            data-state={s.state}
            className={`absolute inset-y-0 ${FILL[s.state]}`}
            style={{ left: s.left, width: s.width, ...(s.state === 'no-data' ? HATCH : {}) }}
          />
        ))}
      </div>
      <div className="flex justify-between text-xs text-zinc-600 dark:text-zinc-400">
        <LocalTime at={input.since} />
        <LocalTime at={input.until} />
      </div>
      <figcaption>
        <ul aria-label="Timeline legend" className="flex flex-wrap gap-x-3 gap-y-1 text-xs text-zinc-700 dark:text-zinc-300">
          {(['healthy', 'degraded', 'down', 'unknown', 'no-data'] as const).map((s) => (
            <li key={s} className="flex items-center gap-1">
              <Swatch state={s} />
              {STATE_TEXT[s]}
            </li>
          ))}
          <li className="flex items-center gap-1">
            <span aria-hidden="true" className="inline-block h-3 w-0.5 bg-zinc-800 dark:bg-zinc-200" />
            change
          </li>
        </ul>
      </figcaption>
    </figure>
  );
}
