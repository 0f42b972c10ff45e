'use client';
import { useEffect, useState } from 'react';
import { formatAgo, formatUtc } from './format';

/** The current time, re-rendered every `everyMs`. */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(t);
  }, [everyMs]);
  return now;
}

/**
 * A clock that hydrates without a mismatch: `null` in the server render and in the hydration render that
 * must reproduce it (both start from this initial state), the browser's time once mounted, then every
 * `everyMs`. Texts that depend on the viewer's clock or zone render their UTC form while it is `null`.
 */
export function useMountedClock(everyMs = 60_000): number | null {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(t);
  }, [everyMs]);
  return now;
}

/**
 * A relative time that keeps itself current. The server and the browser render it a moment apart, so
 * the text may differ at hydration: that one element opts out of the mismatch warning.
 */
export function RelativeTime({ at, prefix = '' }: { at: string | number; prefix?: string }) {
  const now = useNow(1000);
  const t = typeof at === 'number' ? at : Date.parse(at);
  const iso = Number.isNaN(t) ? String(at) : new Date(t).toISOString();
  return (
    <time dateTime={iso} title={formatUtc(t)} suppressHydrationWarning>
      {prefix}
      {Number.isNaN(t) ? String(at) : formatAgo(now - t)}
    </time>
  );
}
