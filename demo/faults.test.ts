import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { waitFor } from '../lib/testing/net';
import { startDemoServer, type DemoServer } from './server';
import { FIXTURE_DUMP, openWatch, type StreamReader } from './testing';

const servers: DemoServer[] = [];
const watches: StreamReader[] = [];
afterEach(async () => {
  for (const w of watches.splice(0)) w.close();
  for (const d of servers.splice(0)) await d.close();
});

async function demo(opts: Parameters<typeof startDemoServer>[0] = {}): Promise<DemoServer> {
  const d = await startDemoServer({ dumpPath: FIXTURE_DUMP, bookmarkIntervalMs: 20, freshWaitMs: 200, ...opts });
  servers.push(d);
  return d;
}

async function watch(d: DemoServer, query: string): Promise<StreamReader> {
  const w = await openWatch(`${d.url}/api/v1/namespaces/hst-acme/services?watch=1&${query}`);
  watches.push(w);
  return w;
}

const post = (d: DemoServer, action: string, body: unknown = {}) =>
  fetch(`${d.url}/demo/v1/${action}`, { method: 'POST', body: JSON.stringify(body) }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));
const service = (name: string) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'hst-acme' }, spec: { ports: [{ port: 80 }] } });
/** Lets ten bookmark periods pass, by the server's own clock: a list at a resourceVersion it will not reach waits `freshWaitMs`. */
async function tenBookmarkPeriods(d: DemoServer): Promise<void> {
  const r = await fetch(`${d.url}/api/v1/pods?resourceVersion=${Number(d.state.resourceVersion) + 1000}&resourceVersionMatch=NotOlderThan`);
  assert.equal(r.status, 504);
}
const types = (w: StreamReader) => w.events.filter((e) => e.type !== 'BOOKMARK').map((e) => `${e.type} ${e.object.metadata?.name}`);

describe('the demo cluster’s frozen watches', () => {
  it('stop carrying anything, bookmarks included, without closing, and deliver what they held when unfrozen', async () => {
    const d = await demo();
    const w = await watch(d, `resourceVersion=${d.state.resourceVersion}&allowWatchBookmarks=true`);
    await waitFor('a bookmark before the freeze', () => w.events.some((e) => e.type === 'BOOKMARK'));
    const frozen = await post(d, 'freeze-watches', { seconds: 60 });
    assert.equal(frozen.status, 202);
    assert.deepEqual(frozen.body, { frozenForSeconds: 60, openOnly: false, watches: 1 });
    const seen = w.events.length;
    d.apply(service('while-frozen'));
    // A watch opened while frozen is accepted, and frozen too.
    const late = await watch(d, `resourceVersion=${d.state.resourceVersion}&allowWatchBookmarks=true`);
    assert.equal(late.status, 200);
    const state = (await (await fetch(`${d.url}/demo/v1/state`)).json()) as { watches: number; watchesFrozen: boolean };
    assert.deepEqual([state.watches, state.watchesFrozen], [2, true]);
    await tenBookmarkPeriods(d);
    assert.equal(w.events.length, seen, 'nothing arrived while frozen');
    assert.equal(late.events.length, 0);
    assert.equal((await post(d, 'unfreeze-watches')).status, 200);
    await waitFor('the held change', () => types(w).includes('ADDED while-frozen'));
    await waitFor('bookmarks on the late watch', () => late.events.some((e) => e.type === 'BOOKMARK'));
  });

  it('with openOnly freeze only the streams open now: a new watch works', async () => {
    const d = await demo();
    const old = await watch(d, `resourceVersion=${d.state.resourceVersion}`);
    assert.equal((await post(d, 'freeze-watches', { openOnly: true })).body.openOnly, true);
    const fresh = await watch(d, `resourceVersion=${d.state.resourceVersion}`);
    d.apply(service('after-freeze'));
    await waitFor('the new watch to see the change', () => types(fresh).includes('ADDED after-freeze'));
    await tenBookmarkPeriods(d);
    assert.deepEqual(types(old), []);
  });

  it('thaw by themselves after the given seconds, which are bounded', async () => {
    const d = await demo();
    for (const seconds of [0, 901, 'x']) assert.equal((await post(d, 'freeze-watches', { seconds })).status, 400, String(seconds));
    assert.equal((await post(d, 'freeze-watches', { openOnly: 'yes' })).status, 400);
    const w = await watch(d, `resourceVersion=${d.state.resourceVersion}`);
    d.freezeWatches(1);
    d.apply(service('held-a-second'));
    await waitFor('the change after the thaw', () => types(w).includes('ADDED held-a-second'), { timeoutMs: 5000 });
  });
});

describe('the demo cluster’s reset', () => {
  it('goes back to the kept objects and resourceVersion and ends every open watch, as an etcd restore does', async () => {
    const d = await demo();
    const kept = (await post(d, 'snapshot')).body.resourceVersion as string;
    assert.equal(kept, d.state.resourceVersion);
    d.apply(service('ghost'));
    d.apply(service('ghost-2'));
    const before = d.state.resourceVersion;
    const w = await watch(d, `resourceVersion=${before}`);
    const r = await post(d, 'reset');
    assert.deepEqual(r.body, { resourceVersion: kept, previousResourceVersion: before });
    await w.ended;
    const names = ((await (await fetch(`${d.url}/api/v1/namespaces/hst-acme/services`)).json()) as { items: { metadata: { name: string } }[] }).items.map((s) => s.metadata.name);
    assert.deepEqual(names, ['api', 'worker']);
  });

  it('goes back to the start state when nothing was kept', async () => {
    const d = await demo();
    const start = d.state.resourceVersion;
    d.apply(service('later'));
    assert.deepEqual(d.reset(), { from: String(Number(start) + 1), to: start });
    assert.equal(d.get('Service', 'hst-acme', 'later'), undefined);
  });

  it('answers resourceVersions of the lost future as kube-apiserver does: a silent watch, and 504 ResourceVersionTooLarge to a list', async () => {
    const d = await demo();
    d.snapshot();
    d.apply(service('ghost'));
    const future = d.state.resourceVersion;
    d.reset();
    const w = await watch(d, `resourceVersion=${future}&allowWatchBookmarks=true`);
    assert.equal(w.status, 200, 'the watch is accepted');
    const list = await fetch(`${d.url}/api/v1/namespaces/hst-acme/services?limit=1&resourceVersion=${future}&resourceVersionMatch=NotOlderThan`);
    assert.equal(list.status, 504);
    assert.deepEqual(await list.json(), {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `Timeout: Too large resource version: ${future}, current: ${d.state.resourceVersion}`,
      reason: 'Timeout',
      details: { causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }], retryAfterSeconds: 1 },
      code: 504,
    });
    const exact = await fetch(`${d.url}/api/v1/namespaces/hst-acme/services?resourceVersion=${future}&resourceVersionMatch=Exact`);
    assert.equal(exact.status, 504);
    await tenBookmarkPeriods(d);
    assert.deepEqual(w.events, [], 'silent: not even a bookmark');
    d.apply(service('reborn'));
    assert.equal(d.state.resourceVersion, future, 'the new history reaches the old resourceVersion');
    assert.equal((await fetch(`${d.url}/api/v1/namespaces/hst-acme/services?resourceVersion=${future}&resourceVersionMatch=NotOlderThan`)).status, 200);
    await waitFor('a bookmark once the cluster has reached the watch', () => w.events.some((e) => e.type === 'BOOKMARK'));
    assert.deepEqual(types(w), [], 'a change at or before the watch’s resourceVersion is not its business');
  });

  it('answers a list not older than a resourceVersion the cluster reaches while it waits', async () => {
    const d = await demo({ freshWaitMs: 5000 });
    const next = String(Number(d.state.resourceVersion) + 1);
    const pending = fetch(`${d.url}/api/v1/namespaces/hst-acme/services?resourceVersion=${next}&resourceVersionMatch=NotOlderThan`);
    d.apply(service('arrives'));
    const r = await pending;
    assert.equal(r.status, 200);
    assert.ok(((await r.json()) as { items: { metadata: { name: string } }[] }).items.some((s) => s.metadata.name === 'arrives'));
  });

  it('answers a resourceVersion from before the reset with 410 Gone', async () => {
    const d = await demo();
    const old = d.state.resourceVersion;
    d.apply(service('x'));
    d.snapshot();
    d.reset();
    const w = await watch(d, `resourceVersion=${old}`);
    await w.ended;
    assert.deepEqual(w.events.map((e) => `${e.type} ${e.object.code}`), ['ERROR 410']);
  });
});
