import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AnalysisResult, DomainChain, Health } from '../model/chain';
import { DowntimeMeter } from './downtime';

const result = (hosts: Record<string, Health>): AnalysisResult =>
  ({
    namespacePrefix: 'hst-',
    analyzedAt: new Date(0).toISOString(),
    namespaces: [],
    domains: Object.entries(hosts).map(([host, health]) => ({ host, namespace: 'hst-a', health }) as DomainChain),
  }) as AnalysisResult;

const byHost = (m: DowntimeMeter) => Object.fromEntries(m.totals().map((t) => [t.host, [t.downSeconds, t.observedSeconds]]));

test('charges each span to the state at its start, and only while synced', () => {
  const m = new DowntimeMeter();
  m.observe('eu', result({ a: 'healthy', b: 'down' }), true, 0);
  m.observe('eu', result({ a: 'down', b: 'down' }), true, 10_000);
  m.account(25_000);
  assert.deepEqual(byHost(m), { a: [15, 25], b: [25, 25] });

  // Not synced for 100 s: nothing moves, neither down nor observed (no data is not up).
  m.observe('eu', result({ a: 'down', b: 'healthy' }), false, 25_000);
  m.account(125_000);
  assert.deepEqual(byHost(m), { a: [15, 25], b: [25, 25] });

  m.observe('eu', result({ a: 'healthy', b: 'healthy' }), true, 125_000);
  m.account(130_000);
  assert.deepEqual(byHost(m), { a: [15, 30], b: [25, 30] });
});

test('a domain no longer served accrues nothing and is forgotten after a day', () => {
  const m = new DowntimeMeter();
  m.observe('eu', result({ a: 'down', b: 'down' }), true, 0);
  m.observe('eu', result({ a: 'down' }), true, 1_000);
  m.account(3_000);
  assert.deepEqual(byHost(m), { a: [3, 3], b: [1, 1] });
  m.observe('eu', result({ a: 'down' }), true, 2 * 86_400_000);
  assert.deepEqual(Object.keys(byHost(m)), ['a']);
});

test('a clock that steps back charges nothing', () => {
  const m = new DowntimeMeter();
  m.observe('eu', result({ a: 'down' }), true, 10_000);
  m.account(5_000);
  m.account(12_000);
  assert.deepEqual(byHost(m), { a: [2, 2] });
});

test('each cluster is accounted on its own: one losing sync stops only its own clock', () => {
  const m = new DowntimeMeter();
  m.observe('eu', result({ a: 'down' }), true, 0);
  m.observe('us', result({ a: 'healthy' }), true, 0);
  m.observe('us', result({ a: 'healthy' }), false, 5_000);
  m.account(10_000);
  const rows = m.totals().map((t) => [t.cluster, t.host, t.downSeconds, t.observedSeconds]);
  assert.deepEqual(rows, [
    ['eu', 'a', 10, 10],
    ['us', 'a', 0, 5],
  ]);
});
