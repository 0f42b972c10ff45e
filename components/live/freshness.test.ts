import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SyncInfo } from '../../lib/api/types';
import { dataAsOf, kindList, syncState } from './freshness';

const live: SyncInfo = { ready: true, syncedAt: '2026-11-26T09:00:00.000Z', dataAgeMs: 45_000, kinds: [] };
const iso = (s: string) => `at ${s}`;

describe('the freshness of the data on screen', () => {
  it('counts from the last event or bookmark the server received, back from when its answer arrived', () => {
    assert.equal(dataAsOf(live, 1_000_000), 955_000);
  });

  it('counts from the answer when the server gives no age (a dump)', () => {
    assert.equal(dataAsOf({ ready: true, syncedAt: '2026-11-26T09:00:00.000Z', kinds: [] }, 1_000_000), 1_000_000);
    assert.equal(dataAsOf(undefined, 1_000_000), 1_000_000);
  });

  it('names the stalled kinds in a sentence', () => {
    assert.equal(kindList(['Pod']), 'Pod');
    assert.equal(kindList(['Pod', 'Service', 'Event in hst-acme']), 'Pod, Service and Event in hst-acme');
    assert.equal(kindList([]), 'some kinds');
  });

  it('says "Possibly stale" in the header while watches are silent, and "Stale" first when the cluster is unreachable', () => {
    const stalled: SyncInfo = { ...live, stalled: { since: '2026-11-26T09:00:00.000Z', kinds: ['Pod', 'Service'] } };
    assert.deepEqual(syncState({ sync: stalled }, iso), {
      word: 'Possibly stale',
      tone: 'bg-degraded',
      detail: 'no update for Pod and Service since at 2026-11-26T09:00:00.000Z',
    });
    assert.equal(syncState({ sync: { ...stalled, stale: { since: '2026-11-26T09:01:00.000Z', error: 'ECONNREFUSED' } } }, iso).word, 'Stale');
    assert.equal(syncState({ sync: stalled, errorStatus: 0 }, iso).word, 'Offline');
    assert.equal(syncState({ sync: live }, iso).word, 'Live');
    assert.equal(syncState({ sync: { ...live, ready: false } }, iso).word, 'Syncing');
  });

  it('says "Partly stale" when some of several clusters are unreachable, naming them, and "Stale" when all are', () => {
    const cluster = (name: string, stale?: string) => ({ name, ready: true, forbiddenNamespaces: [], ...(stale ? { stale: { since: stale } } : {}) });
    const partly: SyncInfo = { ...live, stale: { since: '2026-11-26T09:01:00.000Z', error: 'us: ECONNREFUSED' }, clusters: [cluster('eu'), cluster('us', '2026-11-26T09:01:00.000Z')] };
    assert.deepEqual(syncState({ sync: partly }, iso), { word: 'Partly stale', tone: 'bg-degraded', detail: 'cluster us unreachable since at 2026-11-26T09:01:00.000Z' });
    const all: SyncInfo = { ...partly, clusters: [cluster('eu', '2026-11-26T09:00:30.000Z'), cluster('us', '2026-11-26T09:01:00.000Z')] };
    assert.equal(syncState({ sync: all }, iso).word, 'Stale');
    assert.equal(syncState({ sync: { ...live, clusters: [cluster('default')] } }, iso).word, 'Live', 'one cluster: as before');
  });
});
