/**
 * The render queue: at most `concurrency` requests inside Next at once, at most `queueLimit` waiting for a
 * turn, first come first served; one more is refused at once, and one that has waited `maxWaitMs` is
 * refused then instead of waiting longer (the production server answers both with 503 and Retry-After,
 * lib/server/front.ts).
 *
 * Why: a server-rendered page costs tens of milliseconds of the one JavaScript thread, and Next starts
 * every request it is given at once. Under a few hundred connections the renders interleave until every
 * one of them is slow, memory and GC grow with them, and the event loop is so far behind that the kubelet's
 * probes time out and a busy but healthy Pod is restarted. Bounded, the renders in flight finish at full
 * speed, the probes and the read API's fast path answer between them, and a client that cannot be served
 * soon hears so instead of timing out.
 *
 * Settings (environment; lib/server/config.ts is where every other setting is read):
 *
 * | variable | default | why |
 * |---|---|---|
 * | `CHAINBOARD_RENDER_CONCURRENCY` | 1 | renders are CPU work on the one JavaScript thread: a second at once adds no throughput, it only lengthens each turn of the event loop the probes wait for (in bench/overload.ts on 2 cores, probes time out as an overload begins with 2, not with 1); raise it when pages wait on something other than the CPU |
 * | `CHAINBOARD_RENDER_QUEUE` | 250 | about ten seconds of rendering on a 2-core machine (~25 pages/s under load): a request further back would only be refused after its wait |
 * | `CHAINBOARD_RENDER_QUEUE_WAIT_MS` | 10000 | past it a person has given up, and a client's own timeout is near |
 */

/** The render queue's limits (table above). */
export interface RenderQueueSettings {
  /** Requests Next works on at once. */
  concurrency: number;
  /** Requests waiting for a turn; the next one is refused at once. */
  queueLimit: number;
  /** A request that has waited this long is refused instead of waiting longer. */
  maxWaitMs: number;
}

/** The defaults, for a 2-core machine (table above). */
export const DEFAULT_RENDER_QUEUE: Readonly<RenderQueueSettings> = Object.freeze({ concurrency: 1, queueLimit: 250, maxWaitMs: 10_000 });

/** Thrown by {@link renderQueueSettings}; `problems` names each bad variable. */
export class RenderQueueSettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid render queue settings:\n  - ${problems.join('\n  - ')}`);
    this.name = 'RenderQueueSettingsError';
  }
}

const NAMES = {
  concurrency: { env: 'CHAINBOARD_RENDER_CONCURRENCY', min: 1, max: 1000 },
  queueLimit: { env: 'CHAINBOARD_RENDER_QUEUE', min: 0, max: 100_000 },
  maxWaitMs: { env: 'CHAINBOARD_RENDER_QUEUE_WAIT_MS', min: 1, max: 600_000 },
} as const satisfies Record<keyof RenderQueueSettings, unknown>;

/** The settings from the environment, defaults for what is unset. Throws {@link RenderQueueSettingsError}. */
export function renderQueueSettings(env: Record<string, string | undefined>): RenderQueueSettings {
  const problems: string[] = [];
  const settings = { ...DEFAULT_RENDER_QUEUE };
  for (const key of Object.keys(NAMES) as (keyof RenderQueueSettings)[]) {
    const { env: name, min, max } = NAMES[key];
    const raw = env[name]?.trim();
    if (!raw) continue;
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n < min || n > max) problems.push(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
    else settings[key] = n;
  }
  if (problems.length > 0) throw new RenderQueueSettingsError(problems);
  return settings;
}

/** Why a request was refused: the queue was full when it came, or it waited its longest. */
export type ShedReason = 'full' | 'waited';

/** One request for a turn. */
export interface Job {
  /** Its turn, after `waitedMs` in the queue: call `done` exactly once when the request is over (answered or abandoned). */
  start(done: () => void, waitedMs: number): void;
  /** Refused after `waitedMs` in the queue; `start` is never called. */
  shed(reason: ShedReason, waitedMs: number): void;
}

/** The queue: where requests ask for their turn. */
export interface RenderQueue {
  /** Run `job` now, later, or never (shed). The returned function withdraws it while it waits (a client gone). */
  submit(job: Job): () => void;
  /** What the queue holds now, and how many it has refused. */
  stats(): { running: number; waiting: number; shed: Record<ShedReason, number> };
}

/** The queue's clock and timer, injectable for tests. */
export interface QueueClock {
  now(): number;
  /** Call `fn` after `ms`; returns the cancel. */
  after(ms: number, fn: () => void): () => void;
}

const realClock: QueueClock = {
  now: () => performance.now(),
  after(ms, fn) {
    const t = setTimeout(fn, ms);
    // The queue alone never keeps the process alive.
    t.unref();
    return () => clearTimeout(t);
  },
};

interface Waiting {
  job: Job;
  since: number;
}

/** A render queue with these settings. */
export function createRenderQueue(settings: RenderQueueSettings, clock: QueueClock = realClock): RenderQueue {
  let running = 0;
  // A Set keeps insertion order (first come, first served) and withdraws in O(1).
  const waiting = new Set<Waiting>();
  const shed: Record<ShedReason, number> = { full: 0, waited: 0 };
  let cancelTimer: (() => void) | undefined;

  const refuse = (job: Job, reason: ShedReason, waitedMs: number) => {
    shed[reason]++;
    job.shed(reason, waitedMs);
  };

  const run = (job: Job, waitedMs: number) => {
    running++;
    let over = false;
    job.start(() => {
      if (over) return;
      over = true;
      running--;
      pump();
    }, waitedMs);
  };

  /** Start waiting jobs while there is room; refuse the ones that waited too long. */
  function pump() {
    const now = clock.now();
    for (const w of waiting) {
      const waited = now - w.since;
      if (running >= settings.concurrency && waited < settings.maxWaitMs) break;
      waiting.delete(w);
      if (waited >= settings.maxWaitMs) refuse(w.job, 'waited', waited);
      else run(w.job, waited);
    }
    arm();
  }

  /** One timer, at the deadline of the oldest waiting job (the earliest deadline: first in, first out). */
  function arm() {
    cancelTimer?.();
    cancelTimer = undefined;
    const oldest = waiting.values().next();
    if (oldest.done) return;
    const due = Math.max(0, oldest.value.since + settings.maxWaitMs - clock.now());
    cancelTimer = clock.after(due, () => {
      cancelTimer = undefined;
      pump();
    });
  }

  return {
    submit(job) {
      if (running < settings.concurrency && waiting.size === 0) {
        run(job, 0);
        return () => {};
      }
      if (waiting.size >= settings.queueLimit) {
        refuse(job, 'full', 0);
        return () => {};
      }
      const w: Waiting = { job, since: clock.now() };
      waiting.add(w);
      if (waiting.size === 1) arm();
      return () => {
        if (waiting.delete(w) && waiting.size === 0) arm();
      };
    },
    stats: () => ({ running, waiting: waiting.size, shed: { ...shed } }),
  };
}
