'use client';
/**
 * Times of history in the viewer's own time zone, without a hydration mismatch: as for the certificate
 * validity bar (components/domain/validity.ts), the clock is `null` in the server render and in the
 * hydration render that must reproduce it, so both write the same UTC text; the browser's zone and clock
 * take over once mounted.
 */
import type { HistoryState } from '../../lib/history/types';
import { useMountedClock } from '../ui/time';
import { formatClock, formatUtcMinute, sinceText } from './format';

/** A moment: "2026-05-02 03:12 UTC" until mounted, then "03:12" / "2 May 03:12" in the viewer's zone. */
export function LocalTime({ at }: { at: string }) {
  const now = useMountedClock(60_000);
  return (
    <time dateTime={at} title={formatUtcMinute(at)}>
      {now === null ? formatUtcMinute(at) : formatClock(at, now)}
    </time>
  );
}

/** "Down since 03:12 (2 h 14 min)", kept current. */
export function SinceText({ state, since, className }: { state: HistoryState; since: string; className?: string }) {
  const now = useMountedClock(30_000);
  return (
    <span className={className} data-testid="history-since" data-state={state}>
      <time dateTime={since} title={formatUtcMinute(since)}>
        {sinceText(state, since, now)}
      </time>
    </span>
  );
}
