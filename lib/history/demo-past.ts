/**
 * The demo's generated past: 30 days of history consistent with the sample environments as they are now,
 * so the history pages have something to show the moment the demo starts. Deterministic for a seed.
 *
 * - Every domain starts healthy at the start of the window.
 * - A domain that is not healthy now got there at a plausible time (20 minutes to 4 days ago) through a
 *   transition carrying its current codes and message, a few seconds to minutes after the change on its
 *   chain that plausibly caused it (lib/history/demo-past-causes.ts).
 * - Domains get a few short past incidents (healthy ones one to three, the others up to one), each with
 *   its causing change before it and its fixing change before it ends.
 * - Two restarts of Chainboard leave no-data gaps of about an hour; nothing happens inside them, and the
 *   coverage spans cover the rest of the window up to `now`.
 *
 * The caller stores it with `history.seedIfEmpty(past)`, which marks the store as holding demo data.
 */
import type { AnalysisResult, DomainChain } from '../model/chain';
import { causeOf, pastIncident, type ChangeDraft, type Random } from './demo-past-causes';
import { domainCause } from './transition';
import type { ChangeRecord, CoverageSpan, GeneratedPast, Transition } from './types';
import { seededRandom } from '../model/random';

export interface DemoPastOptions {
  now: Date;
  /** Default 30. */
  days?: number;
  cluster: string;
  /** Default 1. */
  seed?: number;
}

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

export function generateDemoPast(result: AnalysisResult, opts: DemoPastOptions): GeneratedPast {
  const rnd = seededRandom(opts.seed ?? 1);
  const between = (lo: number, hi: number) => lo + rnd() * (hi - lo);
  const end = opts.now.getTime();
  const span = (opts.days ?? 30) * DAY;
  const start = end - span;
  const iso = (t: number) => new Date(Math.round(t)).toISOString();

  // Two restarts, one in each half of the window, of 45 to 100 minutes (shorter in a short window).
  const gapLength = () => Math.min(between(45 * MIN, 100 * MIN), span * 0.02);
  const gaps = [0.2, 0.6].map((f) => {
    const s = start + span * between(f, f + 0.2);
    return { start: s, end: s + gapLength() };
  });
  const coverage: CoverageSpan[] = [];
  let from = start;
  for (const g of gaps) {
    coverage.push({ cluster: opts.cluster, start: iso(from), end: iso(g.start) });
    from = g.end;
  }
  coverage.push({ cluster: opts.cluster, start: iso(from), end: iso(end) });
  /** Nothing is recorded while Chainboard is not running: a story must fit between the gaps. */
  const free = (a: number, b: number) => a >= start && b <= end && gaps.every((g) => b < g.start || a > g.end);

  const transitions: Transition[] = [];
  const changes: ChangeRecord[] = [];
  const change = (d: DomainChain, at: number, c: ChangeDraft) =>
    changes.push({ cluster: opts.cluster, namespace: d.namespace, at: iso(at), hosts: [d.host], ...c });
  const transition = (d: DomainChain, at: number, t: Pick<Transition, 'from' | 'to' | 'codes' | 'message'>) =>
    transitions.push({ cluster: opts.cluster, host: d.host, namespace: d.namespace, at: iso(at), ...t });

  for (const d of [...result.domains].sort((a, b) => (a.host < b.host ? -1 : a.host > b.host ? 1 : 0))) {
    transition(d, start, { from: 'no-data', to: 'healthy', codes: [] });

    // When the current fault began: a certificate expired at its notAfter, anything else hours to days ago.
    let current: number | undefined;
    if (d.health !== 'healthy') {
      const notAfter = Date.parse(d.tls.secretCertificate?.notAfter ?? '');
      const expired = d.findings.some((f) => f.code === 'tls.secret-cert-expired') && notAfter > start + DAY && free(notAfter - 10 * MIN, notAfter);
      current = expired ? notAfter : undefined;
      for (let i = 0; current === undefined && i < 20; i++) {
        const t = end - between(20 * MIN, Math.min(4 * DAY, span / 3));
        if (free(t - 10 * MIN, t)) current = t;
      }
      current ??= end - 1000;
    }

    // Short past incidents in equal slots before the current fault, each inside one coverage span.
    const count = d.health === 'healthy' ? 1 + Math.floor(rnd() * 3) : Math.floor(rnd() * 2);
    const lo = start + DAY;
    const hi = (current ?? end) - 2 * HOUR;
    const slot = (hi - lo) / Math.max(count, 1);
    for (let k = 0; k < count && slot > 30 * MIN; k++) {
      for (let attempt = 0; attempt < 5; attempt++) {
        const begin = lo + k * slot + between(10 * MIN, slot * 0.7);
        const length = Math.min(between(3 * MIN, 90 * MIN), slot * 0.25);
        const causeAt = begin - between(5_000, 8 * MIN);
        const endAt = begin + length;
        const fixAt = endAt - between(5_000, Math.min(2 * MIN, length / 2));
        if (!free(causeAt, endAt + 1000)) continue;
        const inc = pastIncident(d, rnd);
        change(d, causeAt, inc.cause);
        transition(d, begin, { from: 'healthy', to: inc.to, codes: inc.codes, message: inc.message });
        change(d, fixAt, inc.fix);
        transition(d, endAt, { from: inc.to, to: 'healthy', codes: [] });
        break;
      }
    }

    if (current !== undefined) {
      const cause = causeOf(d, domainCause(d).codes, rnd);
      if (cause) change(d, current - between(5_000, 5 * MIN), cause);
      transition(d, current, { from: 'healthy', to: d.health, ...domainCause(d) });
    }
  }

  const byTime = <T extends { at: string }>(a: T, b: T) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0);
  return { transitions: transitions.sort(byTime), changes: changes.sort(byTime), coverage };
}
