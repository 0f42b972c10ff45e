/**
 * The history service over PGlite or PostgreSQL: it connects and migrates in the background, queues
 * writes and flushes them in batches, keeps the since/uptime summaries warm, prunes old rows, and with
 * PostgreSQL writes only while it holds the writer lock.
 *
 * It never throws into callers and never blocks a request on the database: any database error marks it
 * unavailable with the reason, reads answer `undefined`, and it tears the connection down and reconnects
 * with a capped exponential backoff until the database answers again. Every timer is unref'd.
 *
 * PGlite is embedded and single-process: the service is always its writer, and two processes must never
 * open one data directory (a lock file in it refuses the second, which then reports why it is unavailable).
 */
import { errorText, openPglite, openPostgres, type Db } from './db';
import { lockDataDir, PgWriterLock } from './lock';
import { migrate } from './migrations';
import { domainHistory, lastStates, namespaceHistory } from './queries';
import { SummaryCache } from './summaries';
import { DEMO_MARKER, prune, seed, storedClusters, WriteQueue, writeBatch } from './writer';
import type { HistoryService, HistoryServiceOptions, HistorySeeding, HistoryStatus, HostSummary } from './types';

const BATCH = 5000;
const PRUNE_EVERY_MS = 3_600_000;
const NO_SUMMARIES: ReadonlyMap<string, HostSummary> = new Map();

export function createHistoryService(options: HistoryServiceOptions): HistoryService & HistorySeeding {
  const now = options.now ?? (() => new Date());
  const log = options.log ?? (() => {});
  const defaultCluster = options.defaultCluster;
  const engine = options.engine;
  const gapMs = options.coverageGapMs ?? 60_000;
  const retryMs = options.writerRetryMs ?? 5000;
  const retryMaxMs = options.retryMaxMs ?? 30_000;

  let db: Db | undefined;
  let lock: PgWriterLock | undefined;
  let releaseDir: (() => void) | undefined;
  let available = false;
  let reason = 'starting';
  let role: HistoryStatus['role'] = engine.kind === 'pglite' ? 'writer' : 'none';
  /** The clusters whose history is a generated past. */
  let demoClusters: string[] = [];
  let lastWriteAt: string | undefined;
  /** Each cluster's since/uptime summaries, and the clusters the store knows, as of the last refresh. */
  let cache: { byCluster: Map<string, Map<string, HostSummary>>; clusters: string[] } | undefined;
  const summaryCaches = new Map<string, SummaryCache>();
  let closed = false;
  /** Bumped on every (re)connect, so a failure reported by an old connection does not tear down a new one. */
  let generation = 0;
  let attempt = 0;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let writing: Promise<unknown> = Promise.resolve();
  const queue = new WriteQueue(options.maxPending ?? 50_000, gapMs, (n) =>
    log(`history: queue full, dropped the ${n} oldest records (${queue.dropped} since start)`),
  );

  const teardown = async () => {
    const [d, l, r] = [db, lock, releaseDir];
    db = undefined;
    lock = undefined;
    releaseDir = undefined;
    await l?.release().catch(() => {});
    await d?.close().catch(() => {});
    r?.();
  };

  const fail = (gen: number, what: string, e: unknown) => {
    if (gen !== generation || closed) return;
    generation++;
    const wasAvailable = available;
    available = false;
    if (engine.kind === 'postgres') role = 'none';
    reason = `${what}: ${errorText(e)}`;
    if (wasAvailable || attempt === 0) log(`history unavailable: ${reason}`);
    void teardown().then(() => schedule());
  };

  const schedule = () => {
    if (closed) return;
    const delay = Math.min(retryMaxMs, 500 * 2 ** Math.min(attempt, 16));
    attempt++;
    reconnectTimer = setTimeout(() => void connect(), delay);
    reconnectTimer.unref();
  };

  const becomeWriterIfFree = async (gen: number, l: PgWriterLock) => {
    const wasWriter = l.held;
    const got = await l.tryAcquire();
    if (gen !== generation) return;
    if (got && !wasWriter) {
      role = 'writer';
      log('history: this replica is now the writer');
      if (db) await prune(db, cutoff());
    } else if (!got) {
      // Another replica writes: whatever this one queued is its to record, from its own memory.
      role = 'reader';
      queue.clear();
    }
  };

  const cutoff = () => new Date(now().getTime() - options.retentionDays * 86_400_000);

  async function connect(): Promise<void> {
    if (closed) return;
    const gen = ++generation;
    let step = 'opening the database';
    try {
      if (engine.kind === 'pglite') {
        step = `opening ${engine.dataDir}`;
        const { mkdirSync } = await import('node:fs');
        mkdirSync(engine.dataDir, { recursive: true });
        releaseDir = lockDataDir(engine.dataDir);
        db = await openPglite(engine.dataDir, log);
      } else {
        step = 'database unreachable';
        db = await openPostgres(engine.url, (e) => fail(gen, 'database connection lost', e));
      }
      step = 'migrating the schema';
      const applied = await migrate(db, { defaultCluster });
      if (applied.length > 0) log(`history: applied migrations ${applied.join(', ')}`);
      step = 'reading the store';
      demoClusters = (await db.query<{ cluster: string }>('SELECT cluster FROM meta WHERE key = $1 ORDER BY cluster', [DEMO_MARKER])).map((r) => String(r.cluster));
      if (engine.kind === 'postgres') {
        step = 'taking the writer lock';
        // One writer for every cluster's history; the lock keeps the default cluster's name, so a
        // single-cluster replica of an earlier version and this one never write at once.
        const l = new PgWriterLock(engine.url, defaultCluster, (e) => onLockLost(gen, e));
        lock = l;
        await becomeWriterIfFree(gen, l);
      }
      if (role === 'writer') {
        step = 'pruning old history';
        await prune(db, cutoff());
      }
      if (gen !== generation) return;
      available = true;
      reason = '';
      attempt = 0;
      log(`history available (${engine.kind}, ${role})`);
      void refresh();
    } catch (e) {
      fail(gen, step, e);
    }
  }

  const onLockLost = (gen: number, e: unknown) => {
    if (gen !== generation) return;
    // Unknown until the next attempt: another replica may take the lock, or the server itself is gone and
    // what is queued waits for it to come back.
    role = 'none';
    log(`history: lost the writer lock (${errorText(e)}); retrying it`);
    // The lock's session may have died with the server: check the database itself.
    const d = db;
    d?.query('SELECT 1').catch((err) => fail(gen, 'database connection lost', err));
  };

  /** Runs a database operation; any error marks the store unavailable and answers `undefined`. */
  async function guard<T>(what: string, fn: (d: Db) => Promise<T>): Promise<T | undefined> {
    await ready;
    const d = db;
    const gen = generation;
    if (!available || !d) return undefined;
    try {
      return await fn(d);
    } catch (e) {
      fail(gen, what, e);
      return undefined;
    }
  }

  /** Every cluster the store knows gets its own summaries, from its own transitions and coverage. */
  async function refresh(): Promise<void> {
    const fresh = await guard('refreshing summaries', async (d) => {
      const clusters = await storedClusters(d);
      const byCluster = new Map<string, Map<string, HostSummary>>();
      for (const c of clusters) {
        let sc = summaryCaches.get(c);
        if (!sc) summaryCaches.set(c, (sc = new SummaryCache(c)));
        byCluster.set(c, await sc.refresh(d, now().getTime(), gapMs));
      }
      for (const c of summaryCaches.keys()) if (!byCluster.has(c)) summaryCaches.delete(c);
      return { byCluster, clusters };
    });
    if (fresh) cache = fresh;
  }

  /** Writes one batch; false when nothing could be written. */
  function flushOnce(): Promise<boolean> {
    const run = writing.then(async () => {
      const d = db;
      const gen = generation;
      if (!available || !d || role !== 'writer' || queue.pending === 0) return false;
      const batch = queue.take(BATCH);
      try {
        await writeBatch(d, batch);
        lastWriteAt = now().toISOString();
        return true;
      } catch (e) {
        if (role === 'writer') queue.putBack(batch);
        fail(gen, 'writing history', e);
        return false;
      }
    });
    writing = run;
    return run;
  }

  const kick = () => {
    if (queue.pending >= BATCH) setImmediate(() => void flushOnce());
  };

  const timers = [
    setInterval(() => void flushOnce(), options.flushMs ?? 1000),
    setInterval(() => void refresh(), options.summaryRefreshMs ?? 30_000),
    setInterval(() => {
      if (available && role === 'writer') void guard('pruning old history', (d) => prune(d, cutoff()));
    }, PRUNE_EVERY_MS),
    setInterval(() => {
      const l = lock;
      const gen = generation;
      if (!available || !l || closed) return;
      if (l.held) void guard('database check', (d) => d.query('SELECT 1'));
      else becomeWriterIfFree(gen, l).catch((e) => fail(gen, 'taking the writer lock', e));
    }, retryMs),
  ];
  for (const t of timers) t.unref();

  const ready = connect();

  return {
    status: () => ({
      available,
      ...(available ? {} : { reason: closed ? 'closed' : reason }),
      engine: engine.kind,
      role,
      defaultCluster,
      retentionDays: options.retentionDays,
      pending: queue.pending,
      ...(lastWriteAt ? { lastWriteAt } : {}),
      ...(demoClusters.length ? { demoData: true, demoClusters: [...demoClusters] } : {}),
      ...(queue.dropped ? { dropped: queue.dropped } : {}),
    }),
    record(records) {
      if (role === 'reader' || closed) return;
      try {
        queue.add(records);
        kick();
      } catch (e) {
        log(`history: cannot queue records: ${errorText(e)}`);
      }
    },
    heartbeat(c, at, synced) {
      if (role === 'reader' || closed) return;
      try {
        queue.heartbeat(c, at.getTime(), synced);
      } catch (e) {
        log(`history: cannot queue a heartbeat: ${errorText(e)}`);
      }
    },
    lastStates: (c) => guard('reading last states', (d) => lastStates(d, c)),
    domain: (host, q) => guard('reading history', (d) => domainHistory(d, q.cluster, host, q, now().getTime(), gapMs)),
    namespace: (ns, q) => guard('reading history', (d) => namespaceHistory(d, q.cluster, ns, q, now().getTime(), gapMs)),
    summaries: (c) => (available && cache ? (cache.byCluster.get(c) ?? NO_SUMMARIES) : undefined),
    clusters: () => (available && cache ? cache.clusters : undefined),
    async flush() {
      await ready;
      while (queue.pending > 0 && (await flushOnce()));
    },
    async seedIfEmpty(c, past) {
      const wrote = await guard('writing the generated past', (d) => seed(d, c, past));
      if (wrote) {
        demoClusters = [...new Set([...demoClusters, c])].sort();
        await refresh();
      }
      return wrote === true;
    },
    async close() {
      if (closed) return;
      await ready;
      if (available && role === 'writer') {
        queue.closeSpans();
        await this.flush();
      }
      closed = true;
      available = false;
      for (const t of timers) clearInterval(t);
      if (reconnectTimer) clearTimeout(reconnectTimer);
      await writing.catch(() => {});
      await teardown();
    },
  };
}
