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
