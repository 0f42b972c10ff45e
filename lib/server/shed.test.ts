// The render queue (lib/server/shed.ts) on a fake clock: turns, order, refusals, withdrawal, settings.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createRenderQueue, DEFAULT_RENDER_QUEUE, renderQueueSettings, RenderQueueSettingsError, type QueueClock, type ShedReason } from './shed';

/** A clock whose time moves only when the test says so, firing due timers in order. */
function fakeClock(): QueueClock & { advance(ms: number): void; pending(): number } {
  let now = 0;
  let timers: { at: number; fn: () => void }[] = [];
  return {
    now: () => now,
    after(ms, fn) {
      const t = { at: now + ms, fn };
      timers.push(t);
      return () => {
        timers = timers.filter((x) => x !== t);
      };
    },
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const due = timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        timers = timers.filter((t) => t !== due);
        now = due.at;
        due.fn();
      }
      now = end;
    },
    pending: () => timers.length,
  };
}

/** Jobs that record what happened to them, finished by hand. */
function jobs() {
  const log: string[] = [];
  const done = new Map<string, () => void>();
  const waited = new Map<string, number>();
  const job = (name: string) => ({
    start: (finish: () => void, waitedMs: number) => {
      log.push(`start ${name}`);
      done.set(name, finish);
      waited.set(name, waitedMs);
    },
    shed: (reason: ShedReason, waitedMs: number) => {
      log.push(`shed ${name} ${reason}`);
      waited.set(name, waitedMs);
    },
  });
  const finish = (name: string) => done.get(name)!();
  return { log, job, finish, waited };
}

const settings = { concurrency: 2, queueLimit: 2, maxWaitMs: 10_000 };

describe('the render queue', () => {
  test('runs up to its concurrency at once and the rest in arrival order as turns free up, saying how long each waited', () => {
    const clock = fakeClock();
    const q = createRenderQueue(settings, clock);
    const { log, job, finish, waited } = jobs();
    for (const name of ['a', 'b', 'c', 'd']) q.submit(job(name));
    assert.deepEqual(log, ['start a', 'start b']);
    assert.deepEqual(q.stats(), { running: 2, waiting: 2, shed: { full: 0, waited: 0 } });
    clock.advance(250);
    finish('b');
    assert.deepEqual(log, ['start a', 'start b', 'start c']);
    finish('a');
    finish('c');
    finish('d');
    assert.deepEqual(log, ['start a', 'start b', 'start c', 'start d']);
    assert.deepEqual(Object.fromEntries(waited), { a: 0, b: 0, c: 250, d: 250 });
    assert.deepEqual(q.stats(), { running: 0, waiting: 0, shed: { full: 0, waited: 0 } });
    assert.equal(clock.pending(), 0, 'no timer is left behind');
  });

  test('refuses at once what comes when the queue is full', () => {
    const q = createRenderQueue(settings, fakeClock());
    const { log, job } = jobs();
    for (const name of ['a', 'b', 'c', 'd', 'e']) q.submit(job(name));
    assert.deepEqual(log, ['start a', 'start b', 'shed e full']);
    assert.deepEqual(q.stats().shed, { full: 1, waited: 0 });
  });

  test('refuses a request that has waited its longest, and no later', () => {
    const clock = fakeClock();
    const q = createRenderQueue(settings, clock);
    const { log, job, finish, waited } = jobs();
    q.submit(job('a'));
    q.submit(job('b'));
    q.submit(job('c'));
    clock.advance(4_000);
    q.submit(job('d'));
    clock.advance(5_999);
    assert.deepEqual(log, ['start a', 'start b']);
    clock.advance(1);
    assert.deepEqual(log, ['start a', 'start b', 'shed c waited']);
    clock.advance(3_999);
    assert.equal(log.length, 3);
    clock.advance(1);
    assert.deepEqual(log.slice(3), ['shed d waited']);
    assert.deepEqual(Object.fromEntries(waited), { a: 0, b: 0, c: 10_000, d: 10_000 });
    assert.deepEqual(q.stats(), { running: 2, waiting: 0, shed: { full: 0, waited: 2 } });
    finish('a');
    assert.equal(q.stats().running, 1);
  });

  test('gives a withdrawn request’s place to the next one', () => {
    const clock = fakeClock();
    const q = createRenderQueue(settings, clock);
    const { log, job, finish } = jobs();
    q.submit(job('a'));
    q.submit(job('b'));
    const withdrawC = q.submit(job('c'));
    q.submit(job('d'));
    withdrawC();
    finish('a');
    assert.deepEqual(log, ['start a', 'start b', 'start d']);
    withdrawC();
    assert.deepEqual(q.stats(), { running: 2, waiting: 0, shed: { full: 0, waited: 0 } });
    assert.equal(clock.pending(), 0);
  });

  test('counts a turn given back twice once', () => {
    const q = createRenderQueue({ ...settings, concurrency: 1 }, fakeClock());
    const { log, job, finish } = jobs();
    q.submit(job('a'));
    q.submit(job('b'));
    q.submit(job('c'));
    finish('a');
    finish('a');
    assert.deepEqual(log, ['start a', 'start b']);
    assert.equal(q.stats().running, 1);
  });

  test('copes with a job that finishes inside its own start', () => {
    const q = createRenderQueue({ ...settings, concurrency: 1, queueLimit: 10 }, fakeClock());
    const started: string[] = [];
    const { job, finish } = jobs();
    q.submit(job('slow'));
    for (const name of ['x', 'y', 'z']) q.submit({ start: (done) => (started.push(name), done()), shed: () => started.push(`shed ${name}`) });
    finish('slow');
    assert.deepEqual(started, ['x', 'y', 'z']);
    assert.deepEqual(q.stats(), { running: 0, waiting: 0, shed: { full: 0, waited: 0 } });
  });

  test('with a queue limit of 0 refuses whatever finds every turn taken', () => {
    const q = createRenderQueue({ ...settings, concurrency: 1, queueLimit: 0 }, fakeClock());
    const { log, job } = jobs();
    q.submit(job('a'));
    q.submit(job('b'));
    assert.deepEqual(log, ['start a', 'shed b full']);
  });
});

describe('the render queue settings', () => {
  test('default to 1 at once, 250 waiting, 10 s of waiting at most', () => {
    assert.deepEqual(renderQueueSettings({}), DEFAULT_RENDER_QUEUE);
    assert.deepEqual(DEFAULT_RENDER_QUEUE, { concurrency: 1, queueLimit: 250, maxWaitMs: 10_000 });
  });

  test('are read from the environment', () => {
    const env = { CHAINBOARD_RENDER_CONCURRENCY: '4', CHAINBOARD_RENDER_QUEUE: '0', CHAINBOARD_RENDER_QUEUE_WAIT_MS: ' 2500 ' };
    assert.deepEqual(renderQueueSettings(env), { concurrency: 4, queueLimit: 0, maxWaitMs: 2500 });
  });

  test('name every bad variable at once', () => {
    const env = { CHAINBOARD_RENDER_CONCURRENCY: '0', CHAINBOARD_RENDER_QUEUE: 'lots', CHAINBOARD_RENDER_QUEUE_WAIT_MS: '1.5' };
    assert.throws(
      () => renderQueueSettings(env),
      (e: unknown) =>
        e instanceof RenderQueueSettingsError &&
        e.problems.length === 3 &&
        e.problems[0] === 'CHAINBOARD_RENDER_CONCURRENCY must be an integer from 1 to 1000, got "0"' &&
        /CHAINBOARD_RENDER_QUEUE must be/.test(e.problems[1]!) &&
        /CHAINBOARD_RENDER_QUEUE_WAIT_MS must be/.test(e.problems[2]!),
    );
  });
});
