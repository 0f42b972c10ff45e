/**
 * History store benchmark (`npm run bench:history`): the store's SQL on both engines - PGlite in a temp
 * directory and a throwaway PostgreSQL on 127.0.0.1 (lib/testing/postgres.ts) - over a fleet of hosts with
 * 90 days of transitions.
 *
 *   node --conditions=react-server --import tsx bench/history.ts [--small] [--engine pglite|postgres] [--json]
 *
 * Figures, per engine:
 * - insert: the time to write one 5,000-row transition batch (median over the batches that load the fleet)
 * - domain p95: `domain()` for one host with 90 days and 1,000 transitions, 90-day window (target < 20 ms)
 * - summaries: since/uptime for every host (5,000 hosts; 500 with --small): the full load (start, and
 *   every 20th refresh) and a regular refresh that reads only the rows written since
 * - disk: bytes per 1,000 transitions (PGlite: the data directory's growth, WAL included; PostgreSQL:
 *   pg_total_relation_size), and the tables' and indexes' own size on both
 * - RSS: this process after the engine's run
 *
 * It calls the same functions the service runs (lib/history/queries.ts, writer.ts) on a `Db` directly, so
 * the service's timers play no part in the timings. Bounded: fixed sizes, everything removed at the end.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openPglite, openPostgres, type Db } from '../lib/history/db';
import { migrate } from '../lib/history/migrations';
import { domainHistory } from '../lib/history/queries';
import { SummaryCache } from '../lib/history/summaries';
import { insertChanges, insertTransitions, upsertSpans } from '../lib/history/writer';
import type { Health } from '../lib/model/chain';
import type { ChangeRecord, Transition } from '../lib/history/types';
import { seededRandom } from '../lib/model/random';
import { startPostgres } from '../lib/testing/postgres';

const DAY = 86_400_000;
const NOW = Date.parse('2026-03-01T00:00:00Z');
const CLUSTER = 'bench';
const BATCH = 5000;
const GAP_MS = 60_000;

const { values: args } = parseArgs({ options: { small: { type: 'boolean', default: false }, engine: { type: 'string' }, json: { type: 'boolean', default: false } } });
const SIZE = args.small ? { hosts: 500, perHost: 10, domainRuns: 30, summaryRuns: 3 } : { hosts: 5000, perHost: 20, domainRuns: 100, summaryRuns: 5 };
const BIG_HOST = 'big.example';
const BIG_TRANSITIONS = 1000;

function hostTransitions(host: string, count: number, random: () => number): Transition[] {
  const times = Array.from({ length: count }, () => NOW - Math.floor(random() * 90 * DAY)).sort((a, b) => a - b);
  const states: Health[] = ['healthy', 'down', 'healthy', 'degraded', 'healthy', 'unknown'];
  let from: Transition['from'] = 'no-data';
  return times.map((at, i) => {
    const to = states[i % states.length]!;
    const t: Transition = { cluster: CLUSTER, host, namespace: `hst-${host.length % 50}`, at: new Date(at + i).toISOString(), from, to, codes: to === 'healthy' ? [] : ['NO_ENDPOINTS'], ...(to === 'healthy' ? {} : { message: 'no endpoints' }) };
    from = to;
    return t;
  });
}

function dirBytes(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    total += e.isDirectory() ? dirBytes(p) : statSync(p).size;
  }
  return total;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

interface Figures {
  engine: string;
  rows: number;
  insertMs: number;
  domainP50: number;
  domainP95: number;
  summariesFullMs: number;
  summariesMs: number;
  summaryHosts: number;
  bytesPer1000: number;
  tableBytesPer1000: number;
  rssMb: number;
}

async function tableBytes(db: Db): Promise<number> {
  const [r] = await db.query<{ n: string }>(
    "SELECT (pg_total_relation_size('transitions') + pg_total_relation_size('changes') + pg_total_relation_size('change_hosts'))::text AS n",
  );
  return Number(r?.n ?? 0);
}

async function run(engine: string, db: Db, size: () => Promise<number>): Promise<Figures> {
  await migrate(db, { defaultCluster: CLUSTER });
  const tablesBefore = await tableBytes(db);
  // One coverage span a day with an hour of no-data between them, like daily restarts.
  await upsertSpans(db, Array.from({ length: 90 }, (_, d) => ({ cluster: CLUSTER, start: NOW - (90 - d) * DAY, end: NOW - (89 - d) * DAY - 3_600_000, open: false })));
  const before = await size();
  const random = seededRandom(42);
  const all: Transition[] = hostTransitions(BIG_HOST, BIG_TRANSITIONS, random);
  for (let h = 0; h < SIZE.hosts; h++) all.push(...hostTransitions(`h${h}.example`, SIZE.perHost, random));
  const batchMs: number[] = [];
  for (let i = 0; i < all.length; i += BATCH) {
    const t0 = performance.now();
    await insertTransitions(db, all.slice(i, i + BATCH));
    batchMs.push(performance.now() - t0);
  }
  const changes: ChangeRecord[] = Array.from({ length: 500 }, (_, i) => ({
    cluster: CLUSTER, namespace: 'hst-big', kind: 'Pod', name: `big-${i}`, at: new Date(NOW - Math.floor(random() * 90 * DAY)).toISOString(),
    action: 'modified', hosts: [BIG_HOST], lines: [`image big:${i} -> big:${i + 1}`],
  }));
  await insertChanges(db, changes);
  // The service analyzes after each hourly prune (PGlite has no autovacuum to do it).
  await db.exec('ANALYZE');
  if (engine === 'pglite') await db.exec('CHECKPOINT');
  const bytes = (await size()) - before;
  const tables = (await tableBytes(db)) - tablesBefore;

  const q = { cluster: CLUSTER, since: new Date(NOW - 90 * DAY), until: new Date(NOW), limit: 100 };
  const domainMs: number[] = [];
  for (let i = 0; i < SIZE.domainRuns; i++) {
    const t0 = performance.now();
    const d = await domainHistory(db, CLUSTER, BIG_HOST, q, NOW, GAP_MS);
    domainMs.push(performance.now() - t0);
    if (d.transitions.length !== 100 || !d.nextCursor) throw new Error('domain() answered wrong: the bench measures nothing');
  }
  // The first refresh loads everything (start, and every 20th refresh); the others read only new rows.
  const cache = new SummaryCache(CLUSTER);
  let t0 = performance.now();
  let hosts = (await cache.refresh(db, NOW, GAP_MS)).size;
  const summaryFullMs = performance.now() - t0;
  const summaryMs: number[] = [];
  for (let i = 0; i < SIZE.summaryRuns; i++) {
    await insertTransitions(db, hostTransitions(`new${i}.example`, 5, random));
    t0 = performance.now();
    hosts = (await cache.refresh(db, NOW, GAP_MS)).size;
    summaryMs.push(performance.now() - t0);
  }
  return {
    engine,
    rows: all.length,
    insertMs: pct(batchMs.slice(0, -1).length ? batchMs.slice(0, -1) : batchMs, 50),
    domainP50: pct(domainMs, 50),
    domainP95: pct(domainMs, 95),
    summariesFullMs: summaryFullMs,
    summariesMs: pct(summaryMs, 50),
    summaryHosts: hosts,
    bytesPer1000: Math.round((bytes / all.length) * 1000),
    tableBytesPer1000: Math.round((tables / all.length) * 1000),
    rssMb: Math.round(process.memoryUsage().rss / 1e6),
  };
}

async function main(): Promise<void> {
  const results: Figures[] = [];
  const engines = args.engine ? [args.engine] : ['pglite', 'postgres'];
  if (engines.includes('pglite')) {
    const dir = mkdtempSync(join(tmpdir(), 'chainboard-bench-history-'));
    try {
      const db = await openPglite(dir);
      results.push(await run('pglite', db, async () => dirBytes(dir)));
      await db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  if (engines.includes('postgres')) {
    const server = await startPostgres({ database: 'bench' });
    try {
      const db = await openPostgres(server.url, () => {});
      results.push(await run('postgres', db, () => tableBytes(db)));
      await db.close();
    } finally {
      await server.cleanup();
    }
  }
  const f = (n: number) => (n < 10 ? n.toFixed(2) : n.toFixed(0));
  console.log(`\nhistory store, ${SIZE.hosts} hosts x ${SIZE.perHost} transitions + 1 host x ${BIG_TRANSITIONS}, 90 days${args.small ? ' (--small)' : ''}\n`);
  console.log(['engine', 'rows', 'insert 5k ms', 'domain p50 ms', 'domain p95 ms (<20)', 'summaries full ms', 'summaries incr ms', 'hosts', 'disk B/1k tr', 'tables B/1k tr', 'RSS MB'].join('\t'));
  for (const r of results) {
    console.log([r.engine, r.rows, f(r.insertMs), f(r.domainP50), f(r.domainP95), f(r.summariesFullMs), f(r.summariesMs), r.summaryHosts, r.bytesPer1000, r.tableBytesPer1000, r.rssMb].join('\t'));
  }
  // `--json`: a last line with every figure, read by `npm run bench` (bench/cluster/history.ts).
  if (args.json) console.log(`BENCH_JSON ${JSON.stringify({ hosts: SIZE.hosts, bigHostTransitions: BIG_TRANSITIONS, engines: results })}`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
