/**
 * The history store's behaviour, written once and run against each engine (store.test.ts): PGlite in a
 * temp directory and a real PostgreSQL from lib/testing/postgres.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { waitFor } from '../testing/net';
import { openPglite, openPostgres, type Db } from './db';
import { migrate, MIGRATIONS } from './migrations';
import { createHistoryService } from './store';
import { insertChanges, insertTransitions, upsertSpans } from './writer';
import type { ChangeRecord, HistoryService, HistoryServiceOptions, HistorySeeding, Transition } from './types';

export const NOW = Date.parse('2026-03-01T12:00:00Z');
export const minutes = (n: number) => new Date(NOW + n * 60_000);
const HOUR = 60;

export type Engine = HistoryServiceOptions['engine'];

/** Each call gives an engine on an empty database (a new data dir, or a new PostgreSQL database). */
export type FreshEngine = () => Promise<Engine>;

/** A raw connection to an engine's database, as an older Chainboard would have written it. */
async function openEngine(engine: Engine): Promise<Db> {
  return engine.kind === 'pglite' ? openPglite(engine.dataDir) : openPostgres(engine.url, () => {});
}

export function open(engine: Engine, extra: Partial<HistoryServiceOptions> = {}): HistoryService & HistorySeeding {
  return createHistoryService({
    engine,
    defaultCluster: 'test',
    retentionDays: 90,
    now: () => new Date(NOW),
    summaryRefreshMs: 100,
    retryMaxMs: 500,
    ...extra,
  });
}

export const tr = (host: string, at: Date, from: Transition['from'], to: Transition['to'], codes: string[] = [], message?: string): Transition => ({
  cluster: 'test',
  host,
  namespace: 'hst-a',
  at: at.toISOString(),
  from,
  to,
  codes,
  ...(message ? { message } : {}),
});

const change = (at: Date, hosts: string[], line: string): ChangeRecord => ({
  cluster: 'test',
  namespace: 'hst-a',
  kind: 'Service',
  name: 'shop',
  at: at.toISOString(),
  action: 'modified',
  hosts,
  lines: [line],
  helm: { release: 'shop', revision: '7' },
});

/** Synced heartbeats every 30 s over [from, to] minutes. */
export function beat(h: HistoryService, from: number, to: number, cluster = 'test'): void {
  for (let m = from; m <= to; m += 0.5) h.heartbeat(cluster, minutes(m), true);
}

export async function available(h: HistoryService): Promise<void> {
  await waitFor('the store to be available', () => h.status().available, { timeoutMs: 20_000, intervalMs: 20 });
}

const q = (since: number, until: number, limit = 100, cursor?: string) => ({
  cluster: 'test',
  since: minutes(since),
  until: minutes(until),
  limit,
  ...(cursor ? { cursor } : {}),
});

export function storeSuite(name: string, fresh: FreshEngine): void {
  describe(`history store on ${name}`, () => {
    it('records, flushes and reads back a domain, its namespace, last states and summaries', async () => {
      const h = open(await fresh());
      try {
        await available(h);
        assert.equal(h.status().role, 'writer');
        beat(h, -2 * HOUR, 0);
        h.record({
          changes: [change(minutes(-100), ['a.example', 'b.example'], 'selector app=shop -> app=shp')],
          transitions: [
            tr('a.example', minutes(-90), 'healthy', 'down', ['NO_ENDPOINTS'], 'no endpoints'),
            tr('a.example', minutes(-60), 'down', 'healthy'),
            tr('b.example', minutes(-110), 'no-data', 'healthy'),
          ],
        });
        assert.ok(h.status().pending > 0);
        await h.flush();
        assert.equal(h.status().pending, 0);
        assert.ok(h.status().lastWriteAt);

        const d = await h.domain('a.example', q(-3 * HOUR, 0));
        assert.ok(d);
        assert.deepEqual(
          d.transitions.map((t) => [t.at, t.to, t.codes]),
          [
            [minutes(-90).toISOString(), 'down', ['NO_ENDPOINTS']],
            [minutes(-60).toISOString(), 'healthy', []],
          ],
        );
        assert.equal(d.transitions[0]!.message, 'no endpoints');
        assert.equal(d.changes.length, 1);
        assert.deepEqual(d.changes[0]!.hosts, ['a.example', 'b.example']);
        assert.deepEqual(d.changes[0]!.helm, { release: 'shop', revision: '7' });
        assert.equal(d.incidents.length, 1);
        assert.equal(d.incidents[0]!.durationSeconds, 30 * 60);
        assert.deepEqual(
          d.incidents[0]!.changesBefore.map((c) => c.lines[0]),
          ['selector app=shop -> app=shp'],
        );
        assert.deepEqual(d.noData, [{ start: minutes(-3 * HOUR).toISOString(), end: minutes(-2 * HOUR).toISOString() }]);
        assert.deepEqual(d.current, { state: 'healthy', since: minutes(-60).toISOString() });
        const day = d.uptime.find((u) => u.window === '24h')!;
        assert.equal(day.ratio, 0.75);
        assert.equal(day.seconds.down, 1800);
        assert.equal(day.seconds['no-data'], 22 * 3600);
        assert.equal(d.nextCursor, undefined);

        const ns = await h.namespace('hst-a', q(-3 * HOUR, 0));
        assert.ok(ns);
        assert.equal(ns.transitions.length, 3);
        assert.deepEqual(
          ns.hosts.map((s) => [s.host, s.since?.state]),
          [
            ['a.example', 'healthy'],
            ['b.example', 'healthy'],
          ],
        );
        assert.equal(ns.incidents.length, 1);

        const last = await h.lastStates('test');
        assert.deepEqual(last?.get('a.example'), { state: 'healthy', since: minutes(-60).toISOString() });
        assert.equal(last?.size, 2);

        const sums = await waitFor('summaries', () => h.summaries('test')?.get('a.example'));
        assert.equal(sums.uptime[0]!.ratio, 0.75);
        assert.equal(h.summaries('other')?.size, 0, 'a cluster without history has no summaries');

        // A later refresh reads only the new rows and still sees the host's new state.
        h.record({ transitions: [tr('a.example', minutes(-1), 'healthy', 'down')] });
        await h.flush();
        const later = await waitFor('summaries with the new state', () => (h.summaries('test')?.get('a.example')?.since?.state === 'down' ? h.summaries('test') : undefined));
        assert.deepEqual(later.get('a.example')?.since, { state: 'down', since: minutes(-1).toISOString() });
        assert.equal(later.get('b.example')?.since?.state, 'healthy');
      } finally {
        await h.close();
      }
    });

    it('keeps two clusters serving one host apart: transitions, changes, coverage, uptime, summaries and last states are each cluster\'s own', async () => {
      const h = open(await fresh());
      try {
        await available(h);
        const inEu = (t: Transition): Transition => ({ ...t, cluster: 'eu' });
        const inUs = (t: Transition): Transition => ({ ...t, cluster: 'us' });
        // eu watched for the last two hours and saw the host go down for 30 min; us was watched only for
        // the last hour (stale before: no data, not downtime) and saw it healthy throughout.
        beat(h, -2 * HOUR, 0, 'eu');
        beat(h, -HOUR, 0, 'us');
        h.record({
          transitions: [
            inEu(tr('a.example', minutes(-110), 'no-data', 'healthy')),
            inEu(tr('a.example', minutes(-90), 'healthy', 'down', ['NO_ENDPOINTS'])),
            inEu(tr('a.example', minutes(-60), 'down', 'healthy')),
            inUs(tr('a.example', minutes(-55), 'no-data', 'healthy')),
          ],
          changes: [{ ...change(minutes(-95), ['a.example'], 'eu: selector app=shop -> app=shp'), cluster: 'eu' }],
        });
        await h.flush();
        const eu = await h.domain('a.example', { ...q(-3 * HOUR, 0), cluster: 'eu' });
        const us = await h.domain('a.example', { ...q(-3 * HOUR, 0), cluster: 'us' });
        assert.ok(eu && us);
        assert.equal(eu.cluster, 'eu');
        assert.equal(us.cluster, 'us');
        assert.deepEqual(eu.transitions.map((t) => [t.cluster, t.to]), [['eu', 'healthy'], ['eu', 'down'], ['eu', 'healthy']]);
        assert.deepEqual(us.transitions.map((t) => [t.cluster, t.to]), [['us', 'healthy']]);
        assert.deepEqual(eu.changes.map((c) => c.lines[0]), ['eu: selector app=shop -> app=shp']);
        assert.deepEqual(us.changes, [], "eu's change is not us's");
        assert.equal(eu.incidents.length, 1);
        assert.equal(us.incidents.length, 0, "eu's outage is not us's downtime");
        // Coverage: eu's heartbeats do not cover us's stale hour, nor us's eu's.
        assert.deepEqual(eu.noData, [{ start: minutes(-3 * HOUR).toISOString(), end: minutes(-2 * HOUR).toISOString() }]);
        assert.deepEqual(us.noData, [{ start: minutes(-3 * HOUR).toISOString(), end: minutes(-HOUR).toISOString() }]);
        const day = (d: typeof eu) => d.uptime.find((u) => u.window === '24h')!;
        assert.equal(day(eu).seconds.down, 1800);
        assert.equal(day(us).seconds.down, 0);
        assert.equal(day(us).ratio, 1);
        // Before us's first heartbeat, and until its first view 5 minutes later, us's time is no data,
        // whatever eu saw.
        assert.equal(day(us).seconds['no-data'], 23 * 3600 + 5 * 60);
        assert.deepEqual((await h.lastStates('us'))?.get('a.example'), { state: 'healthy', since: minutes(-55).toISOString() });
        assert.deepEqual((await h.lastStates('eu'))?.get('a.example'), { state: 'healthy', since: minutes(-60).toISOString() });
        const sums = await waitFor('both clusters summarised', () => (h.summaries('eu')?.size && h.summaries('us')?.size ? h : undefined));
        assert.equal(sums.summaries('eu')!.get('a.example')!.uptime[0]!.seconds.down, 1800);
        assert.equal(sums.summaries('us')!.get('a.example')!.uptime[0]!.seconds.down, 0);
        assert.deepEqual(h.clusters(), ['eu', 'us']);

      } finally {
        await h.close();
      }
    });

    it('seeds a generated past per cluster: one cluster with history does not stop another from being seeded', async () => {
      const h = open(await fresh());
      try {
        await available(h);
        h.record({ transitions: [{ ...tr('a.example', minutes(-10), 'no-data', 'healthy'), cluster: 'eu' }] });
        await h.flush();
        const past = {
          transitions: [tr('b.example', minutes(-300), 'no-data', 'healthy')],
          changes: [],
          coverage: [{ cluster: 'test', start: minutes(-300).toISOString(), end: minutes(0).toISOString() }],
        };
        assert.equal(await h.seedIfEmpty('eu', past), false, 'eu has history already');
        assert.equal(await h.seedIfEmpty('us', past), true);
        assert.deepEqual(h.status().demoClusters, ['us']);
        const us = await h.domain('b.example', { ...q(-300, 0), cluster: 'us' });
        assert.deepEqual(us?.transitions.map((t) => t.cluster), ['us'], 'the past is written as the seeded cluster\'s');
        assert.equal((await h.domain('b.example', { ...q(-300, 0), cluster: 'eu' }))?.transitions.length, 0);
      } finally {
        await h.close();
      }
    });

    it('renames a single-cluster store to the default cluster when it starts under another name, and keeps every row', async () => {
      const engine = await fresh();
      // A store written by a single-cluster Chainboard: schema version 1, every row under "default".
      const old = await openEngine(engine);
      await migrate(old, { defaultCluster: 'default' }, MIGRATIONS.slice(0, 1));
      await insertTransitions(old, [{ ...tr('a.example', minutes(-90), 'healthy', 'down'), cluster: 'default' }, { ...tr('a.example', minutes(-60), 'down', 'healthy'), cluster: 'default' }]);
      await insertChanges(old, [{ ...change(minutes(-91), ['a.example'], 'old change'), cluster: 'default' }]);
      await upsertSpans(old, [{ cluster: 'default', start: minutes(-120).getTime(), end: minutes(0).getTime(), open: false }]);
      await old.query("INSERT INTO meta (cluster, key, value) VALUES ('default', 'demo-data', 'x')");
      await old.close();
      // Now configured as two clusters, eu first.
      const h = open(engine, { defaultCluster: 'eu' });
      try {
        await available(h);
        const d = await h.domain('a.example', { ...q(-3 * HOUR, 0), cluster: 'eu' });
        assert.deepEqual(d?.transitions.map((t) => [t.cluster, t.to]), [['eu', 'down'], ['eu', 'healthy']]);
        assert.deepEqual(d?.changes.map((c) => [c.cluster, c.lines[0]]), [['eu', 'old change']]);
        assert.equal(d?.incidents[0]?.changesBefore.length, 1, 'the per-host change index moved with its changes');
        assert.deepEqual(d?.noData, [{ start: minutes(-3 * HOUR).toISOString(), end: minutes(-2 * HOUR).toISOString() }]);
        assert.deepEqual(h.status().demoClusters, ['eu']);
        assert.equal((await h.domain('a.example', { ...q(-3 * HOUR, 0), cluster: 'default' }))?.transitions.length, 0, 'nothing is left under the old name');
      } finally {
        await h.close();
      }
      // Applied once: a later start under yet another name changes nothing.
      const again = open(engine, { defaultCluster: 'us' });
      try {
        await available(again);
        assert.equal((await again.domain('a.example', { ...q(-3 * HOUR, 0), cluster: 'eu' }))?.transitions.length, 2);
      } finally {
        await again.close();
      }
    });

    it('leaves a single-cluster store alone when the default cluster keeps its name', async () => {
      const engine = await fresh();
      const old = await openEngine(engine);
      await migrate(old, { defaultCluster: 'test' }, MIGRATIONS.slice(0, 1));
      await insertTransitions(old, [tr('a.example', minutes(-60), 'no-data', 'healthy')]);
      await old.close();
      const h = open(engine);
      try {
        await available(h);
        assert.deepEqual((await h.lastStates('test'))?.get('a.example'), { state: 'healthy', since: minutes(-60).toISOString() });
      } finally {
        await h.close();
      }
    });

    it('stores a transition recorded twice once', async () => {
      const h = open(await fresh());
      try {
        const t = tr('a.example', minutes(-5), 'healthy', 'down');
        h.record({ transitions: [t, t] });
        await h.flush();
        h.record({ transitions: [t] });
        await h.flush();
        const d = await h.domain('a.example', q(-60, 0));
        assert.equal(d?.transitions.length, 1);
      } finally {
        await h.close();
      }
    });

    it("links each incident to its own host's changes just before it started, for a domain and a namespace", async () => {
      const DAY = 24 * HOUR;
      // A year's retention, so an incident that opened long before the 90-day window is still stored.
      const h = open(await fresh(), { retentionDays: 400 });
      try {
        h.record({
          transitions: [
            // c.example has been bad for 200 days: its run is cut at the anchor, a point whose `from` is bad.
            tr('c.example', minutes(-200 * DAY), 'no-data', 'down'),
            tr('c.example', minutes(-150 * DAY), 'down', 'degraded'),
            tr('c.example', minutes(-30), 'degraded', 'healthy'),
            // d.example flaps inside one incident: only the change before the incident's start belongs to it.
            tr('d.example', minutes(-60), 'healthy', 'down'),
            tr('d.example', minutes(-50), 'down', 'unknown'),
            tr('d.example', minutes(-40), 'unknown', 'down'),
            tr('d.example', minutes(-10), 'down', 'healthy'),
          ],
          changes: [
            change(minutes(-150 * DAY - 5), ['c.example'], 'c: before the long incident'),
            change(minutes(-61), ['d.example'], 'd: before its incident'),
            change(minutes(-42), ['d.example'], 'd: during its incident'),
            change(minutes(-61), ['e.example'], 'e: same time, another host'),
          ],
        });
        await h.flush();
        const d = await h.domain('d.example', q(-3 * HOUR, 0));
        assert.deepEqual(
          d?.incidents.map((i) => [i.start, i.changesBefore.map((c) => c.lines[0]).join()]),
          [[minutes(-60).toISOString(), 'd: before its incident']],
        );
        const c = await h.domain('c.example', q(-3 * HOUR, 0));
        assert.deepEqual(
          c?.incidents.map((i) => [i.start, i.changesBefore.map((x) => x.lines[0]).join()]),
          [[minutes(-150 * DAY).toISOString(), 'c: before the long incident']],
        );
        const ns = await h.namespace('hst-a', q(-3 * HOUR, 0));
        assert.deepEqual(
          ns?.incidents.map((i) => [i.host, i.changesBefore.map((x) => x.lines[0]).join()]),
          [
            ['d.example', 'd: before its incident'],
            ['c.example', 'c: before the long incident'],
          ],
        );
      } finally {
        await h.close();
      }
    });

    it('pages older items with an opaque cursor', async () => {
      const h = open(await fresh());
      try {
        const states = ['down', 'healthy'] as const;
        h.record({
          transitions: Array.from({ length: 25 }, (_, i) => tr('a.example', minutes(-100 + i), states[(i + 1) % 2]!, states[i % 2]!)),
          changes: Array.from({ length: 12 }, (_, i) => change(minutes(-100 + i), ['a.example'], `replicas ${i} -> ${i + 1}`)),
        });
        await h.flush();
        const seen: string[] = [];
        const changes: string[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const d = await h.domain('a.example', q(-120, 0, 10, cursor));
          assert.ok(d);
          const ats = d.transitions.map((t) => t.at);
          assert.deepEqual(ats, [...ats].sort(), 'oldest first within a page');
          if (seen.length > 0 && ats.length > 0) assert.ok(ats[ats.length - 1]! < seen[0]!, 'each page is older');
          seen.unshift(...ats);
          changes.unshift(...d.changes.map((c) => c.lines[0]!));
          cursor = d.nextCursor;
          pages++;
        } while (cursor && pages < 10);
        assert.equal(pages, 3);
        assert.equal(seen.length, 25);
        assert.equal(new Set(seen).size, 25);
        assert.equal(changes.length, 12);
        assert.equal(changes[0], 'replicas 0 -> 1');
      } finally {
        await h.close();
      }
    });

    it('keeps history across a restart, and the time it was stopped is no-data', async () => {
      const engine = await fresh();
      const first = open(engine, { now: () => minutes(-60) });
      beat(first, -3 * HOUR, -60);
      first.record({ transitions: [tr('a.example', minutes(-3 * HOUR), 'no-data', 'healthy')] });
      await first.flush();
      await first.close();

      const second = open(engine);
      try {
        await available(second);
        beat(second, -10, 0);
        await second.flush();
        const d = await second.domain('a.example', q(-4 * HOUR, 0));
        assert.ok(d);
        assert.equal(d.transitions.length, 1);
        assert.deepEqual(d.noData, [
          { start: minutes(-4 * HOUR).toISOString(), end: minutes(-3 * HOUR).toISOString() },
          { start: minutes(-60).toISOString(), end: minutes(-10).toISOString() },
        ]);
        const day = d.uptime.find((u) => u.window === '24h')!;
        assert.equal(day.seconds.healthy, (2 * 60 + 10) * 60);
        assert.equal(day.seconds['no-data'], 24 * 3600 - (2 * 60 + 10) * 60);
        assert.equal(day.ratio, 1);
      } finally {
        await second.close();
      }
    });

    it('prunes rows older than the retention, keeping the state each host was in', async () => {
      const engine = await fresh();
      const first = open(engine);
      first.record({
        transitions: [
          tr('a.example', minutes(-3 * 24 * HOUR), 'no-data', 'down'),
          tr('a.example', minutes(-2 * 24 * HOUR), 'down', 'healthy'),
          tr('a.example', minutes(-HOUR), 'healthy', 'degraded'),
        ],
        changes: [change(minutes(-3 * 24 * HOUR), ['a.example'], 'old'), change(minutes(-HOUR), ['a.example'], 'new')],
      });
      await first.flush();
      await first.close();
      const second = open(engine, { retentionDays: 1 });
      try {
        await available(second);
        const d = await second.domain('a.example', q(-5 * 24 * HOUR, 0));
        assert.deepEqual(
          d?.transitions.map((t) => t.to),
          ['healthy', 'degraded'],
        );
        assert.deepEqual(
          d?.changes.map((c) => c.lines[0]),
          ['new'],
        );
      } finally {
        await second.close();
      }
    });

    it('seeds a generated past once, into an empty store only, and says it is demo data', async () => {
      const h = open(await fresh());
      try {
        await available(h);
        const past = {
          transitions: [tr('a.example', minutes(-300), 'no-data', 'healthy')],
          changes: [change(minutes(-301), ['a.example'], 'seeded')],
          coverage: [{ cluster: 'test', start: minutes(-300).toISOString(), end: minutes(0).toISOString() }],
        };
        assert.equal(h.status().demoData, undefined);
        assert.equal(await h.seedIfEmpty('test', past), true);
        assert.equal(h.status().demoData, true);
        assert.equal(await h.seedIfEmpty('test', past), false);
        const d = await h.domain('a.example', q(-300, 0));
        assert.equal(d?.transitions.length, 1);
        assert.deepEqual(d?.noData, []);
      } finally {
        await h.close();
      }
    });

    it('opens a new coverage span after a gap longer than the threshold, and closes it when not synced', async () => {
      const h = open(await fresh(), { coverageGapMs: 60_000 });
      try {
        beat(h, -60, -40);
        beat(h, -30, -20);
        h.heartbeat('test', minutes(-15), false);
        beat(h, -10, 0);
        await h.flush();
        const d = await h.domain('a.example', q(-60, 0));
        assert.deepEqual(d?.noData, [
          { start: minutes(-40).toISOString(), end: minutes(-30).toISOString() },
          { start: minutes(-20).toISOString(), end: minutes(-10).toISOString() },
        ]);
      } finally {
        await h.close();
      }
    });
  });
}
