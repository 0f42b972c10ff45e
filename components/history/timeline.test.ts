// The timeline strip's geometry and history's words: segments clipped to the window, no-data spans over
// the last known state, ticks placed and grouped; durations, "since", uptime and change lines.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fixtureHistory } from '../../lib/api/history-fixture';
import { changeBeforeText, changeText, formatClock, formatDuration, formatRatio, sinceText, uptimeText } from './format';
import { layoutSegments, layoutTicks, stateShares } from './timeline';

const since = '2026-05-01T00:00:00.000Z';
const until = '2026-05-02T00:00:00.000Z';
const at = (h: number, m = 0) => new Date(Date.parse(since) + (h * 60 + m) * 60_000).toISOString();
const tr = (h: number, from: string, to: string) => ({ at: at(h), from, to }) as { at: string; from: 'healthy'; to: 'down' };
const brief = (segs: ReturnType<typeof layoutSegments>) => segs.map((s) => `${s.state} ${s.left} ${s.width}`);

describe('layoutSegments', () => {
  test('transitions cut the window; the state before the first is its from', () => {
    const segs = layoutSegments({ since, until, transitions: [tr(6, 'healthy', 'down'), tr(12, 'down', 'healthy')], noData: [] });
    assert.deepEqual(brief(segs), ['healthy 0.000% 25.000%', 'down 25.000% 25.000%', 'healthy 50.000% 50.000%']);
  });

  test('a window without transitions is the current state throughout, or no data when history knows nothing', () => {
    assert.deepEqual(brief(layoutSegments({ since, until, transitions: [], noData: [], current: { state: 'degraded', since: '2026-04-01T00:00:00Z' } })), ['degraded 0.000% 100.000%']);
    assert.deepEqual(brief(layoutSegments({ since, until, transitions: [], noData: [] })), ['no-data 0.000% 100.000%']);
  });

  test('no-data spans lie over the state and are clipped to the window; equal neighbours merge', () => {
    const segs = layoutSegments({
      since,
      until,
      transitions: [tr(6, 'healthy', 'down'), tr(9, 'down', 'down')],
      noData: [
        { start: '2026-04-30T22:00:00Z', end: at(3) },
        { start: at(18), end: '2026-05-02T06:00:00Z' },
      ],
    });
    assert.deepEqual(brief(segs), ['no-data 0.000% 12.500%', 'healthy 12.500% 12.500%', 'down 25.000% 50.000%', 'no-data 75.000% 25.000%']);
    const total = segs.reduce((n, s) => n + (s.end - s.start), 0);
    assert.equal(total, Date.parse(until) - Date.parse(since), 'the segments cover the window exactly');
  });

  test('transitions outside the window only set the starting state; an empty window has no segments', () => {
    assert.deepEqual(brief(layoutSegments({ since, until, transitions: [tr(30, 'degraded', 'healthy')], noData: [] })), ['degraded 0.000% 100.000%']);
    assert.deepEqual(layoutSegments({ since: until, until: since, transitions: [], noData: [] }), []);
  });

  test('shares per state read as the text alternative', () => {
    const segs = layoutSegments({ since, until, transitions: [tr(6, 'healthy', 'down')], noData: [{ start: at(18), end: at(24) }] });
    assert.deepEqual(
      stateShares(segs).map((s) => [s.state, s.share]),
      [
        ['healthy', 0.25],
        ['down', 0.5],
        ['no-data', 0.25],
      ],
    );
  });
});

describe('layoutTicks', () => {
  test('places changes at their time, drops those outside, groups close ones with a count', () => {
    const ticks = layoutTicks(since, until, [{ at: at(12) }, { at: at(6) }, { at: at(6, 5) }, { at: '2026-05-03T00:00:00Z' }, { at: at(6, 3) }]);
    assert.deepEqual(
      ticks.map((t) => [t.left, t.count]),
      [
        ['25.000%', 3],
        ['50.000%', 1],
      ],
    );
    assert.equal(ticks[0]!.last, Date.parse(at(6, 5)));
  });
});

describe('format', () => {
  test('durations: two units at most', () => {
    assert.deepEqual([formatDuration(6), formatDuration(720), formatDuration(8040), formatDuration(7200), formatDuration(273_600), formatDuration(259_200), formatDuration(-5)], [
      '6 s',
      '12 min',
      '2 h 14 min',
      '2 h',
      '3 d 4 h',
      '3 d',
      '0 s',
    ]);
  });

  test('since: the UTC text without a clock (server and hydration), local and short with one', () => {
    const now = Date.parse('2026-05-02T05:26:00Z');
    assert.equal(sinceText('down', '2026-05-02T03:12:00Z', null), 'Down since 2026-05-02 03:12 UTC');
    assert.equal(sinceText('down', '2026-05-02T03:12:00Z', now, 'UTC'), 'Down since 03:12 (2 h 14 min)');
    assert.equal(sinceText('degraded', '2026-05-02T03:12:00Z', now, 'Europe/Amsterdam'), 'Degraded since 05:12 (2 h 14 min)');
    assert.equal(formatClock('2026-04-28T01:00:00Z', now, 'UTC'), '28 Apr 01:00');
    assert.equal(formatClock('2025-12-31T23:30:00Z', now, 'UTC'), '31 Dec 2025 23:30');
    assert.equal(formatClock('2026-05-01T23:30:00Z', now, 'Europe/Amsterdam'), '01:30', 'the day is the viewer\'s day');
  });

  test('uptime: rounded down, no-data and unknown time named, null as no data', () => {
    const [day, , month, quarter] = fixtureHistory().uptime;
    assert.equal(uptimeText(day!), '90.2% · 1 h no data');
    assert.equal(uptimeText(month!), '99.6% · 1 h no data');
    assert.equal(uptimeText(quarter!), 'no data');
    assert.equal(formatRatio(0.99999), '99.9%');
    assert.equal(formatRatio(1), '100%');
  });

  test('changes in one line, and how long before an incident', () => {
    const incident = fixtureHistory().incidents[0]!;
    assert.equal(changeBeforeText(incident.changesBefore[0]!, incident), 'changed 6 s before it went down: Service booking selector app=booking -> app=bookng');
    assert.equal(changeText({ kind: 'Pod', name: 'web-1', action: 'deleted', lines: [] }), 'Pod web-1 deleted');
    assert.equal(changeText({ kind: 'ServedCertificate', name: 'a.example', action: 'rotated', lines: ['issuer R10'] }), 'served certificate of a.example rotated: issuer R10');
    assert.equal(changeBeforeText({ ...incident.changesBefore[0]!, at: '2026-05-02T03:00:00Z' }, { ...incident, worst: 'degraded' }).slice(0, 40), 'changed 12 min before it became degraded');
  });
});
