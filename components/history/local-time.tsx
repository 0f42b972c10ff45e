'use client';
/**
 * Times of history in the viewer's own time zone, without a hydration mismatch: as for the certificate
 * validity bar (components/domain/validity.ts), the clock is `null` in the server render and in the
 * hydration render that must reproduce it, so both write the same UTC text; the browser's zone and clock
 * take over once mounted.
 */
import { useEffect, useState } from 'react';
import type { HistoryState } from '../../lib/history/types';
import { formatClock, formatUtcMinute, sinceText } from './format';

/** `null` until mounted, then the browser's time, every `everyMs`. */
export function useHistoryClock(everyMs = 30_000): number | null {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(t);
  }, [everyMs]);
  return now;
}

/** A moment: "2026-05-02 03:12 UTC" until mounted, then "03:12" / "2 May 03:12" in the viewer's zone. */
export function LocalTime({ at }: { at: string }) {
  const now = useHistoryClock(60_000);
  return (
    <time dateTime={at} title={formatUtcMinute(at)}>
      {now === null ? formatUtcMinute(at) : formatClock(at, now)}
    </time>
  );
}

/** "Down since 03:12 (2 h 14 min)", kept current. */
export function SinceText({ state, since, className }: { state: HistoryState; since: string; className?: string }) {
  const now = useHistoryClock();
  return (
    <span className={className} data-testid="history-since" data-state={state}>
      <time dateTime={since} title={formatUtcMinute(since)}>
        {sinceText(state, since, now)}
      </time>
    </span>
  );
}
