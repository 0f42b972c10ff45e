// The lists' history briefs: only the rows asked for, an environment's uptime over all its domains, and
// the reason when history has no summaries.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HostSummary } from '../../lib/history/types';
import { aggregateRatio, historyBriefs } from './briefs';

const summary = (host: string, namespace: string, up: number, down: number, noData = 0): HostSummary => ({
  host,
  namespace,
  since: { state: down ? 'down' : 'healthy', since: '2026-05-02T03:12:00Z' },
  uptime: [{ window: '30d', ratio: up + down ? up / (up + down) : null, seconds: { healthy: up, degraded: 0, down, unknown: 0, 'no-data': noData } }],
});

test('briefs only the hosts on the page, and each environment over all its domains', () => {
  const map = new Map([summary('a.example', 'hst-a', 9000, 1000, 3600), summary('b.example', 'hst-a', 10_000, 0), summary('c.example', 'hst-c', 100, 0)].map((s) => [s.host, s]));
  const b = historyBriefs(map, '', ['a.example', 'missing.example'], ['hst-a']);
  assert.deepEqual(Object.keys(b.hosts), ['a.example']);
  assert.deepEqual(b.hosts['a.example'], { since: { state: 'down', since: '2026-05-02T03:12:00Z' }, uptime: '90.0% · 1 h no data' });
  assert.deepEqual(b.namespaces, { 'hst-a': '95.0%' });
  assert.equal(b.unavailable, undefined);
});

test('no summaries: the reason, and nothing per row', () => {
  assert.deepEqual(historyBriefs(undefined, 'history is not configured', ['a.example'], ['hst-a']), { unavailable: 'history is not configured', window: '30d', hosts: {}, namespaces: {} });
});

test('an environment whose domains have no up or down time has no ratio; one without summaries none at all', () => {
  assert.equal(aggregateRatio([summary('a', 'n', 0, 0, 100)], '30d'), null);
  assert.equal(aggregateRatio([], '30d'), undefined);
});
