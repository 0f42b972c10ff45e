// The source here is a hand-driven AnalysisSource: the live one is tested against the demo cluster and
// the real control plane; this checks only how updates and ticks reach the listeners.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AnalysisSource, ClusterState, SourceState, SourceUpdate } from '../api/source';
import type { AnalysisResult, DomainChain } from '../model/chain';
import { DowntimeMeter } from '../metrics/downtime';
import { attachMemory, isSynced, meterListener } from './memory';

const result = { namespacePrefix: 'hst-', analyzedAt: '', namespaces: [], domains: [{ host: 'a.example', namespace: 'hst-a', health: 'down' } as DomainChain] } as AnalysisResult;
const fresh: SourceState = { result, sync: { ready: true, kinds: [] } };
const stale: SourceState = { result, sync: { ready: true, kinds: [], stale: { since: 'x', error: 'ECONNREFUSED' } } };

test('isSynced: a result, ready, neither stale nor stalled', () => {
  assert.equal(isSynced(fresh), true);
  assert.equal(isSynced(stale), false);
  assert.equal(isSynced({ ...fresh, sync: { ...fresh.sync, stalled: { since: 'x', kinds: ['Pod'] } } }), false);
  assert.equal(isSynced({ sync: { ready: false, kinds: [] } }), false);
});

test('updates reach the listeners at once; the tick notices lost sync without a new analysis', async () => {
  let state = fresh;
  let listener: ((u: SourceUpdate) => void) | undefined;
  const source: AnalysisSource = {
    mode: 'live',
    clusters: () => [{ name: 'eu', ...state }],
    subscribe(l) {
      listener = l;
      return () => (listener = undefined);
    },
    stop: async () => {},
  };
  let t = 0;
  const now = () => new Date(t);
  const meter = new DowntimeMeter();
  const detach = attachMemory(source, (c) => [meterListener(meter, c, now)], { now, tickMs: 20, log: () => {} });
  listener!({ cluster: 'eu', type: 'view', result, synced: true });
  t = 5_000;
  state = stale;
  await new Promise((r) => setTimeout(r, 60));
  t = 50_000;
  meter.account(t);
  assert.deepEqual(meter.totals().map((x) => [x.downSeconds, x.observedSeconds]), [[5, 5]]);
  detach();
  assert.equal(listener, undefined);
});

test('a dump (no updates) is not attached', () => {
  let made = 0;
  const detach = attachMemory({ mode: 'dump', clusters: () => [{ name: 'eu', ...fresh }], stop: async () => {} }, () => (made++, []), { now: () => new Date(), log: () => {} });
  detach();
  assert.equal(made, 0);
});

test('each cluster gets its own listeners, and its updates and ticks reach only them', async () => {
  const states: ClusterState[] = [
    { name: 'eu', ...fresh },
    { name: 'us', ...stale },
  ];
  let listener: ((u: SourceUpdate) => void) | undefined;
  const source: AnalysisSource = {
    mode: 'live',
    clusters: () => states,
    subscribe(l) {
      listener = l;
      return () => (listener = undefined);
    },
    stop: async () => {},
  };
  const seen: string[] = [];
  const detach = attachMemory(
    source,
    (c) => [{ update: (u) => seen.push(`${c} update ${u.cluster}`), tick: (s) => seen.push(`${c} tick ${isSynced(s)}`), stop: () => seen.push(`${c} stop`) }],
    { now: () => new Date(), tickMs: 20, log: () => {} },
  );
  listener!({ cluster: 'us', type: 'view', result, synced: false });
  await new Promise((r) => setTimeout(r, 35));
  detach();
  assert.deepEqual(seen, ['us update us', 'eu tick true', 'us tick false', 'eu stop', 'us stop']);
});
