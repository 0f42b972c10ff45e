import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { waitFor } from '../testing/net';
import { Informer, type KindState, type Timers } from './informer';
import type { Cacheable } from './reducer';
import { ApiError, type Query, type RawList, type Transport } from './transport';

/** Timers that only fire when the test says so, recording every delay asked for. */
function manualTimers() {
  const pending: { fn: () => void; ms: number }[] = [];
  const delays: number[] = [];
  const timers: Timers = {
    setTimeout(fn, ms) {
      const t = { fn, ms };
      pending.push(t);
      delays.push(ms);
      return t;
    },
    clearTimeout(h) {
      const i = pending.indexOf(h as (typeof pending)[number]);
      if (i >= 0) pending.splice(i, 1);
    },
  };
  const fire = () => pending.splice(0).forEach((t) => t.fn());
  return { timers, delays, pending, fire };
}

type WatchScript = (onEvent: (type: string, o: unknown) => void, onDone: (e?: ApiError) => void) => void;

/** A transport answering lists and watches from queues the test fills. */
function scriptedTransport(lists: (RawList | ApiError)[], watches: WatchScript[]) {
  const calls: string[] = [];
  const transport: Transport = {
    async list(path: string, q: Query) {
      calls.push(`list ${q.continue ? 'continue=' + q.continue : 'first'} limit=${q.limit}`);
      const next = lists.shift();
      if (!next) throw new ApiError('connect ECONNREFUSED');
      if (next instanceof ApiError) throw next;
      return next;
    },
    async watch(path, q, onEvent, onDone) {
      calls.push(`watch rv=${q.resourceVersion}`);
      const script = watches.shift();
      if (!script) {
        onDone(new ApiError('connect ECONNREFUSED'));
        return { abort() {} };
      }
      let aborted = false;
      setImmediate(() => !aborted && script(onEvent, onDone));
      return { abort: () => (aborted = true) };
    },
  };
  return { transport, calls };
}

const pod = (name: string, rv: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'ns', resourceVersion: rv } });

function informer(transport: Transport, timers: Timers, states: KindState[] = []) {
  return new Informer<Cacheable>({
    kind: 'Pod',
    path: '/api/v1/pods',
    transport,
    slim: (raw) => raw as Cacheable,
    pageSize: 2,
    backoff: { initialMs: 100, maxMs: 1000, factor: 2, jitter: 0 },
    timers,
    now: () => new Date('2025-06-01T00:00:00Z'),
    onChanges: () => undefined,
    onState: (s) => states.push(s),
  });
}

const names = (i: Informer<Cacheable>) => [...(i.data.objects.get('ns')?.keys() ?? [])].sort();

describe('an informer', () => {
  it('lists every page, then watches from the list resourceVersion', async () => {
    const t = manualTimers();
    const { transport, calls } = scriptedTransport(
      [
        { metadata: { resourceVersion: '10', continue: 'tok' }, items: [pod('a', '1'), pod('b', '2')] },
        { metadata: { resourceVersion: '10' }, items: [pod('c', '3')] },
      ],
      [(ev) => ev('ADDED', pod('d', '11'))],
    );
    const inf = informer(transport, t.timers);
    inf.start();
    await waitFor('the watched pod', () => names(inf).includes('d'));
    assert.deepEqual(calls.slice(0, 3), ['list first limit=2', 'list continue=tok limit=2', 'watch rv=10']);
    assert.deepEqual(names(inf), ['a', 'b', 'c', 'd']);
    assert.equal(inf.state.state, 'synced');
    await inf.stop();
  });

  it('backs off exponentially between failed reconnects, up to the cap, and reports disconnected once', async () => {
    const t = manualTimers();
    const states: KindState[] = [];
    const { transport } = scriptedTransport([{ metadata: { resourceVersion: '5' }, items: [pod('a', '1')] }], [(_ev, done) => done(new ApiError('connection reset'))]);
    const inf = informer(transport, t.timers, states);
    inf.start();
    for (let i = 0; i < 6; i++) {
      await waitFor(`retry timer ${i + 1}`, () => t.pending.length === 1);
      t.fire();
    }
    await waitFor('the seventh retry timer', () => t.pending.length === 1);
    assert.deepEqual(t.delays, [100, 200, 400, 800, 1000, 1000, 1000]);
    const disconnected = states.filter((s) => s.state === 'disconnected');
    assert.ok(disconnected.length >= 1);
    assert.ok(disconnected.every((s) => s.state === 'disconnected' && s.staleSince === '2025-06-01T00:00:00.000Z'), 'staleSince is when it first failed');
    assert.deepEqual(names(inf), ['a'], 'the last good data stays');
    await inf.stop();
    assert.equal(t.pending.length, 0, 'stop cancels the pending retry');
  });

  it('relists from the top when a continue token has expired (410)', async () => {
    const t = manualTimers();
    const { transport, calls } = scriptedTransport(
      [
        { metadata: { resourceVersion: '10', continue: 'old' }, items: [pod('a', '1'), pod('b', '2')] },
        new ApiError('The provided continue parameter is too old', 410, 'Expired'),
        { metadata: { resourceVersion: '20' }, items: [pod('b', '2'), pod('c', '3')] },
      ],
      [() => undefined],
    );
    const inf = informer(transport, t.timers);
    inf.start();
    await waitFor('the watch after the second list', () => calls.includes('watch rv=20'));
    assert.deepEqual(calls.slice(0, 3), ['list first limit=2', 'list continue=old limit=2', 'list first limit=2']);
    assert.deepEqual(names(inf), ['b', 'c'], 'only the complete second list counts');
    await inf.stop();
  });

  it('relists when the watch reports a 410 ERROR event, dropping objects deleted meanwhile', async () => {
    const t = manualTimers();
    const { transport, calls } = scriptedTransport(
      [
        { metadata: { resourceVersion: '10' }, items: [pod('a', '1'), pod('b', '2')] },
        { metadata: { resourceVersion: '30' }, items: [pod('b', '2')] },
      ],
      [
        (ev, done) => {
          ev('ERROR', { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version: 10 (25)' });
          done();
        },
        () => undefined,
      ],
    );
    const changes: string[] = [];
    const inf = new Informer<Cacheable>({
      kind: 'Pod',
      path: '/api/v1/pods',
      transport,
      slim: (raw) => raw as Cacheable,
      timers: t.timers,
      onChanges: (cs) => changes.push(...cs.map((c) => `${c.type} ${c.name}`)),
      onState: () => undefined,
    });
    inf.start();
    await waitFor('the watch from the relist', () => calls.includes('watch rv=30'));
    assert.deepEqual(names(inf), ['b']);
    assert.deepEqual(changes, ['added a', 'added b', 'deleted a']);
    assert.equal(t.delays.length, 0, 'a 410 relists at once, without backoff');
    await inf.stop();
  });

  it('reports forbidden with the namespace and the API server message', async () => {
    const t = manualTimers();
    const { transport } = scriptedTransport([new ApiError('pods is forbidden: User "x" cannot list resource "pods"', 403, 'Forbidden')], []);
    const inf = new Informer<Cacheable>({
      kind: 'Pod',
      namespace: 'hst-a',
      path: '/api/v1/namespaces/hst-a/pods',
      transport,
      slim: (raw) => raw as Cacheable,
      timers: t.timers,
      onChanges: () => undefined,
      onState: () => undefined,
    });
    inf.start();
    await waitFor('forbidden', () => inf.state.state === 'forbidden');
    assert.deepEqual(inf.state, { state: 'forbidden', namespace: 'hst-a', message: 'pods is forbidden: User "x" cannot list resource "pods"' });
    await inf.stop();
  });
});

/** A transport whose watches stay open until the test ends them, and whose lists answer from a queue. */
function drivenTransport(lists: (RawList | ApiError)[]) {
  const calls: string[] = [];
  const watches: { onEvent: (type: string, o: unknown) => void; onDone: (e?: ApiError) => void; aborted: boolean }[] = [];
  const transport: Transport = {
    async list(_path, q) {
      calls.push(q.resourceVersion !== undefined ? `check rv=${q.resourceVersion} ${q.resourceVersionMatch} limit=${q.limit}` : 'list');
      const next = lists.shift();
      if (!next) throw new ApiError('connect ECONNREFUSED');
      if (next instanceof ApiError) throw next;
      return next;
    },
    async watch(_path, q, onEvent, onDone) {
      calls.push(`watch rv=${q.resourceVersion}`);
      const w = { onEvent, onDone, aborted: false };
      watches.push(w);
      return { abort: () => (w.aborted = true) };
    },
  };
  return { transport, calls, watches, lists };
}

const STALL_MS = 60_000;
const T0 = Date.parse('2025-06-01T00:00:00Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();
const bookmark = (rv: string) => ({ kind: 'Pod', apiVersion: 'v1', metadata: { resourceVersion: rv } });
const tooLarge = () =>
  new ApiError('Timeout: Too large resource version: 11, current: 3', 504, 'Timeout', undefined, ['ResourceVersionTooLarge']);

/** An informer on a clock the test moves, with the stall threshold at one minute. */
function clocked(transport: Transport) {
  const clock = { ms: 0 };
  const states: KindState[] = [];
  const changes: string[] = [];
  const t = manualTimers();
  const inf = new Informer<Cacheable>({
    kind: 'Pod',
    path: '/api/v1/pods',
    transport,
    slim: (raw) => raw as Cacheable,
    backoff: { initialMs: 100, maxMs: 1000, factor: 2, jitter: 0 },
    stallAfterMs: STALL_MS,
    timers: t.timers,
    now: () => new Date(T0 + clock.ms),
    onChanges: (cs) => changes.push(...cs.map((c) => `${c.type} ${c.name}`)),
    onState: (s) => states.push(s),
  });
  return { inf, clock, states, changes, t };
}

describe('an informer whose server falls silent or goes back in time', () => {
  it('takes a watch silent past the threshold for stalled, asks the server before resuming it, and is synced at the next event', async () => {
    const d = drivenTransport([{ metadata: { resourceVersion: '10' }, items: [pod('a', '1')] }, { metadata: { resourceVersion: '11' }, items: [] }]);
    const { inf, clock, states } = clocked(d.transport);
    inf.start();
    await waitFor('the first watch', () => d.watches.length === 1);
    clock.ms = 10_000;
    d.watches[0]!.onEvent('BOOKMARK', bookmark('11'));
    assert.equal(inf.lastEventAt, at(10_000));
    clock.ms = 10_000 + STALL_MS - 1;
    assert.equal(inf.checkSilence(), false, 'not silent yet');
    clock.ms = 10_000 + STALL_MS;
    assert.equal(inf.checkSilence(), true);
    assert.deepEqual(inf.state, { state: 'stalled', since: at(10_000) });
    assert.equal(d.watches[0]!.aborted, true, 'the silent watch is ended');
    await waitFor('the resumed watch', () => d.watches.length === 2);
    assert.deepEqual(d.calls, ['list', 'watch rv=10', 'check rv=11 NotOlderThan limit=1', 'watch rv=11']);
    assert.equal(inf.state.state, 'stalled', 'a watch accepted again proves nothing yet');
    clock.ms += 5_000;
    d.watches[1]!.onEvent('ADDED', pod('b', '12'));
    assert.deepEqual(inf.state, { state: 'synced', since: at(15_000 + STALL_MS) });
    assert.equal(inf.lastEventAt, at(15_000 + STALL_MS));
    assert.deepEqual(names(inf), ['a', 'b']);
    assert.deepEqual(
      states.map((s) => s.state),
      ['synced', 'stalled', 'synced'],
    );
    await inf.stop();
  });

  it('relists a kind whose resumed watch stays silent too', async () => {
    const d = drivenTransport([
      { metadata: { resourceVersion: '10' }, items: [pod('a', '1')] },
      { metadata: { resourceVersion: '11' }, items: [] },
      { metadata: { resourceVersion: '20' }, items: [pod('b', '15')] },
    ]);
    const { inf, clock, changes } = clocked(d.transport);
    inf.start();
    await waitFor('the first watch', () => d.watches.length === 1);
    d.watches[0]!.onEvent('BOOKMARK', bookmark('11'));
    clock.ms = STALL_MS;
    assert.equal(inf.checkSilence(), true);
    await waitFor('the resumed watch', () => d.watches.length === 2);
    // The resumed watch started overdue: it gets a whole period of its own.
    clock.ms = 2 * STALL_MS - 1;
    assert.equal(inf.checkSilence(), false);
    clock.ms = 2 * STALL_MS;
    assert.equal(inf.checkSilence(), true);
    await waitFor('the watch after the relist', () => d.watches.length === 3);
    assert.deepEqual(d.calls, ['list', 'watch rv=10', 'check rv=11 NotOlderThan limit=1', 'watch rv=11', 'list', 'watch rv=20']);
    assert.deepEqual(changes, ['added a', 'added b', 'deleted a']);
    assert.deepEqual(inf.state, { state: 'synced', since: at(2 * STALL_MS) }, 'the list is proof enough');
    await inf.stop();
  });

  it('renews the silent watch of a kind that never sent a bookmark, without calling it stalled or asking first', async () => {
    const d = drivenTransport([{ metadata: { resourceVersion: '10' }, items: [pod('a', '1')] }]);
    const { inf, clock, states } = clocked(d.transport);
    inf.start();
    await waitFor('the first watch', () => d.watches.length === 1);
    clock.ms = STALL_MS;
    assert.equal(inf.checkSilence(), true);
    await waitFor('the renewed watch', () => d.watches.length === 2);
    assert.deepEqual(d.calls, ['list', 'watch rv=10', 'watch rv=10']);
    assert.deepEqual(states.map((s) => s.state), ['synced']);
    assert.equal(inf.lastEventAt, at(0), 'nothing has arrived since the list');
    assert.equal(inf.freshAt, at(STALL_MS), 'without bookmarks, the watch the server accepted last is the proof');
    await inf.stop();
  });

  it('relists when the server answers the check with ResourceVersionTooLarge, dropping what a restore took away', async () => {
    const d = drivenTransport([
      { metadata: { resourceVersion: '10' }, items: [pod('a', '1'), pod('b', '2')] },
      tooLarge(),
      { metadata: { resourceVersion: '4' }, items: [pod('a', '1')] },
    ]);
    const { inf, changes, t } = clocked(d.transport);
    inf.start();
    await waitFor('the first watch', () => d.watches.length === 1);
    d.watches[0]!.onEvent('BOOKMARK', bookmark('11'));
    // The server's watch cache starts over (as after an etcd restore): it ends its watches early.
    d.watches[0]!.onDone();
    await waitFor('the watch after the relist', () => d.watches.length === 2);
    assert.deepEqual(d.calls, ['list', 'watch rv=10', 'check rv=11 NotOlderThan limit=1', 'list', 'watch rv=4']);
    assert.deepEqual(changes, ['added a', 'added b', 'deleted b']);
    assert.equal(t.delays.length, 0, 'no backoff: the server is there');
    await inf.stop();
  });

  it('relists when a watch reports ResourceVersionTooLarge in an ERROR event', async () => {
    const d = drivenTransport([
      { metadata: { resourceVersion: '10' }, items: [pod('a', '1')] },
      { metadata: { resourceVersion: '3' }, items: [] },
    ]);
    const { inf, changes } = clocked(d.transport);
    inf.start();
    await waitFor('the first watch', () => d.watches.length === 1);
    d.watches[0]!.onEvent('ERROR', {
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      message: 'Timeout: Too large resource version: 10, current: 3',
      reason: 'Timeout',
      details: { causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }], retryAfterSeconds: 1 },
      code: 504,
    });
    d.watches[0]!.onDone();
    await waitFor('the watch after the relist', () => d.watches.length === 2);
    assert.deepEqual(d.calls, ['list', 'watch rv=10', 'list', 'watch rv=3']);
    assert.deepEqual(changes, ['added a', 'deleted a']);
    await inf.stop();
  });

  it('lists again after the server could not be reached, rather than resuming a watch it may not honour', async () => {
    const d = drivenTransport([
      { metadata: { resourceVersion: '10' }, items: [pod('a', '1')] },
      { metadata: { resourceVersion: '5' }, items: [pod('c', '5')] },
    ]);
    const { inf, clock, changes, t } = clocked(d.transport);
    inf.start();
    await waitFor('the first watch', () => d.watches.length === 1);
    d.watches[0]!.onDone(new ApiError('read ECONNRESET'));
    await waitFor('the retry timer', () => t.pending.length === 1);
    assert.equal(inf.state.state, 'disconnected');
    clock.ms = 5_000;
    t.fire();
    await waitFor('the watch after the list', () => d.watches.length === 2);
    assert.deepEqual(d.calls, ['list', 'watch rv=10', 'list', 'watch rv=5']);
    assert.deepEqual(changes, ['added a', 'added c', 'deleted a']);
    assert.deepEqual(inf.state, { state: 'synced', since: at(5_000) });
    assert.equal(inf.lastEventAt, at(5_000));
    await inf.stop();
  });
});
