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
