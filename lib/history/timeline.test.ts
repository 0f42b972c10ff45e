import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Coverage, currentSince, incidents, liveSpans, ratio, secondsByState, uptime, type Point } from './timeline';
import type { HistoryState } from './types';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const min = (n: number) => T0 + n * 60_000;
const pt = (at: number, from: HistoryState, to: HistoryState, codes: string[] = [], message?: string): Point => ({
  host: 'a.example',
  namespace: 'hst-a',
  at,
  from,
  to,
  codes,
  ...(message ? { message } : {}),
});
const all = new Coverage([{ start: min(-100_000), end: min(100_000) }]);

describe('Coverage', () => {
  it('merges overlapping spans and measures covered time', () => {
    const c = new Coverage([
      { start: min(10), end: min(20) },
      { start: min(0), end: min(5) },
      { start: min(4), end: min(8) },
    ]);
    assert.deepEqual(c.spans, [
      { start: min(0), end: min(8) },
      { start: min(10), end: min(20) },
    ]);
    assert.equal(c.covered(min(6), min(12)), 4 * 60_000);
    assert.equal(c.covered(min(-5), min(30)), 18 * 60_000);
    assert.equal(c.covered(min(8), min(10)), 0);
  });

  it('reports the complement inside a window as no-data', () => {
    const c = new Coverage([
      { start: min(0), end: min(8) },
      { start: min(10), end: min(20) },
    ]);
    assert.deepEqual(c.noData(min(-2), min(25)), [
      { start: min(-2), end: min(0) },
      { start: min(8), end: min(10) },
      { start: min(20), end: min(25) },
    ]);
    assert.deepEqual(c.noData(min(1), min(7)), []);
    assert.deepEqual(new Coverage([]).noData(min(1), min(7)), [{ start: min(1), end: min(7) }]);
  });

  it('runs an open span on to now only while its last heartbeat is recent', () => {
    const rows = [
      { start: min(0), end: min(10), open: false },
      { start: min(20), end: min(29), open: true },
    ];
    assert.deepEqual(liveSpans(rows, min(30), 120_000)[1], { start: min(20), end: min(30) });
    assert.deepEqual(liveSpans(rows, min(40), 120_000)[1], { start: min(20), end: min(29) });
    assert.deepEqual(liveSpans(rows, min(30), 120_000)[0], { start: min(0), end: min(10) });
  });
});

describe('secondsByState and uptime', () => {
  it('uses the state before the window and counts uncovered time as no-data', () => {
    const points = [pt(min(-60), 'healthy', 'down'), pt(min(10), 'down', 'healthy')];
    const cov = new Coverage([
      { start: min(-100), end: min(5) },
      { start: min(8), end: min(100) },
    ]);
    const s = secondsByState(points, cov, min(0), min(20));
    assert.deepEqual(s, { healthy: 600, degraded: 0, down: 420, unknown: 0, 'no-data': 180 });
    assert.equal(ratio(s), 600 / 1020);
  });

  it('excludes unknown from the ratio, counts degraded as up, and is null without data', () => {
    const points = [pt(min(0), 'no-data', 'degraded'), pt(min(10), 'degraded', 'unknown')];
    const s = secondsByState(points, all, min(0), min(20));
    assert.equal(s.degraded, 600);
    assert.equal(s.unknown, 600);
    assert.equal(ratio(s), 1);
    assert.equal(ratio(secondsByState(points, all, min(11), min(20))), null);
    assert.equal(ratio(secondsByState(points, new Coverage([]), min(0), min(20))), null);
  });

  it('before the first transition the host is in its `from` state', () => {
    const s = secondsByState([pt(min(10), 'down', 'healthy')], all, min(0), min(20));
    assert.equal(s.down, 600);
    assert.equal(s.healthy, 600);
  });

  it('gives the four windows ending now', () => {
    const now = min(0);
    const u = uptime([pt(now - 3 * 86_400_000, 'no-data', 'healthy'), pt(now - 3_600_000, 'healthy', 'down')], all, now);
    assert.deepEqual(
      u.map((w) => w.window),
      ['24h', '7d', '30d', '90d'],
    );
    assert.equal(u[0]!.ratio, 23 / 24);
    assert.equal(u[1]!.seconds.down, 3600);
    assert.equal(u[1]!.seconds['no-data'], 4 * 86_400);
  });
});

describe('currentSince', () => {
  it('is the start of the current run, across code-only transitions', () => {
    const points = [pt(min(0), 'healthy', 'down', ['A']), pt(min(5), 'down', 'down', ['B']), pt(min(9), 'down', 'down', ['C'])];
    assert.deepEqual(currentSince(points), { state: 'down', since: new Date(min(0)).toISOString() });
    assert.equal(currentSince([]), undefined);
  });
});

describe('incidents', () => {
  it('runs from a transition away from healthy to the next back, with the worst state, codes and opening message', () => {
    const points = [
      pt(min(0), 'healthy', 'degraded', ['SLOW'], 'one pod not ready'),
      pt(min(5), 'degraded', 'down', ['NO_ENDPOINTS']),
      pt(min(7), 'down', 'unknown', []),
      pt(min(10), 'unknown', 'healthy'),
      pt(min(20), 'healthy', 'unknown', ['WATCH_GAP']),
    ];
    const list = incidents(points, all, min(-10), min(30), min(30));
    assert.equal(list.length, 2);
    const [open, closed] = list;
    assert.equal(open!.end, undefined);
    assert.equal(open!.worst, 'unknown');
    assert.equal(open!.durationSeconds, 600);
    assert.equal(closed!.start, new Date(min(0)).toISOString());
    assert.equal(closed!.end, new Date(min(10)).toISOString());
    assert.equal(closed!.worst, 'down');
    assert.deepEqual(closed!.codes, ['NO_ENDPOINTS', 'SLOW']);
    assert.equal(closed!.message, 'one pod not ready');
    assert.equal(closed!.durationSeconds, 600);
    assert.deepEqual(closed!.changesBefore, []);
  });

  it('keeps an incident that began before the window, counting only its time inside', () => {
    const points = [pt(min(-30), 'healthy', 'down'), pt(min(10), 'down', 'healthy')];
    const [i] = incidents(points, all, min(0), min(60), min(60));
    assert.equal(i!.start, new Date(min(-30)).toISOString());
    assert.equal(i!.durationSeconds, 600);
    assert.deepEqual(incidents(points, all, min(11), min(60), min(60)), []);
  });

  it('excludes no-data inside an incident from its duration', () => {
    const points = [pt(min(0), 'healthy', 'down'), pt(min(30), 'down', 'healthy')];
    const cov = new Coverage([
      { start: min(-10), end: min(10) },
      { start: min(20), end: min(40) },
    ]);
    const [i] = incidents(points, cov, min(0), min(40), min(40));
    assert.equal(i!.durationSeconds, 20 * 60);
  });

  it('an open incident lasts until now, not until the end of a window in the future', () => {
    const [i] = incidents([pt(min(0), 'no-data', 'down')], all, min(0), min(600), min(15));
    assert.equal(i!.durationSeconds, 15 * 60);
    assert.equal(i!.worst, 'down');
  });
});
