/** Percentiles and the units the benchmark prints. */

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** The nearest-rank percentile `p` (0..100) of `xs`; NaN for no samples. */
export function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

/** The 50th percentile. */
export const median = (xs: number[]) => percentile(xs, 50);

/** One mebibyte. */
export const MB = 1024 * 1024;

/** Milliseconds as the table shows them: two decimals below 10 ms, seconds from 1 s. */
export const fmtMs = (x: number) => (!Number.isFinite(x) ? 'n/a' : x >= 1000 ? `${(x / 1000).toFixed(2)} s` : x >= 10 ? `${x.toFixed(0)} ms` : `${x.toFixed(2)} ms`);

/** Bytes in B, KB or MB. */
export const fmtBytes = (n: number) => (n >= MB ? `${(n / MB).toFixed(1)} MB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KB` : `${n} B`);
