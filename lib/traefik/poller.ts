import 'server-only';
/**
 * Traefik's runtime, polled: one read at a time, every `intervalMs`, each bounded by its timeout and
 * cancelled on `stop()`. The last good answer is kept when a read fails, marked stale since the first
 * failure with its reason; before any good answer the view says only why the API is unreachable.
 * Listeners hear of a change of the view only (an answer equal to the last one changes nothing), so a
 * quiet Traefik costs no re-analysis.
 */
import type { TraefikRuntime, TraefikView } from '../model/traefik';
import { readTraefikRuntime } from './client';

import type { TraefikSettings } from './settings';

export type { TraefikSettings };

export interface PollerTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const unrefTimers: PollerTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export interface PollerDeps {
  now?: () => Date;
  timers?: PollerTimers;
  /** The read; the client by default (tests of the poller's policy may pass another). */
  read?: (settings: TraefikSettings, signal: AbortSignal, now: () => Date) => Promise<TraefikRuntime>;
  log?: (message: string) => void;
}

/** The runtime without its read time: what "the same answer" compares. */
const content = (r: TraefikRuntime) => JSON.stringify([r.routers, r.services, r.middlewares, r.entryPoints]);

export class TraefikPoller {
  private current: TraefikView;
  private lastContent = '';
  private timer: unknown;
  private inFlight?: { abort: AbortController; done: Promise<void> };
  private running = false;
  private readonly listeners = new Set<(v: TraefikView) => void>();
  private readonly now: () => Date;
  private readonly timers: PollerTimers;
  private readonly read: NonNullable<PollerDeps['read']>;

  constructor(
    readonly settings: TraefikSettings,
    private readonly deps: PollerDeps = {},
  ) {
    this.now = deps.now ?? (() => new Date());
    this.timers = deps.timers ?? unrefTimers;
    this.read = deps.read ?? ((s, signal, now) => readTraefikRuntime({ baseUrl: s.api, timeoutMs: s.timeoutMs, signal, now }));
    this.current = { api: settings.api };
  }

  /** The view now: the last good answer, and the current failure if the latest read failed. */
  view(): TraefikView {
    return this.current;
  }

  onChange(listener: (v: TraefikView) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.poll();
  }

  /** Stop polling and cancel a read in flight; resolves when it has ended. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    const f = this.inFlight;
    if (f) {
      f.abort.abort(new Error('stopped'));
      await f.done;
    }
  }

  /** Read now (a read already in flight is the one awaited). */
  pollNow(): Promise<void> {
    return this.inFlight?.done ?? this.poll();
  }

  private poll(): Promise<void> {
    const abort = new AbortController();
    const done = this.read(this.settings, abort.signal, this.now).then(
      (runtime) => this.succeeded(runtime),
      (e: unknown) => {
        if (!abort.signal.aborted || this.running) this.failed(e instanceof Error ? e.message : String(e));
      },
    );
    const flight = {
      abort,
      done: done.finally(() => {
        if (this.inFlight === flight) this.inFlight = undefined;
        if (this.running) {
          if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
          this.timer = this.timers.setTimeout(() => {
            this.timer = undefined;
            if (this.running && !this.inFlight) void this.poll();
          }, this.settings.intervalMs);
        }
      }),
    };
    this.inFlight = flight;
    return flight.done;
  }

  private succeeded(runtime: TraefikRuntime): void {
    const c = content(runtime);
    if (c === this.lastContent && !this.current.error) return;
    // An answer equal to the last good one keeps that one's read time: it says since when this is so.
    const kept = c === this.lastContent && this.current.runtime ? this.current.runtime : runtime;
    this.lastContent = c;
    this.set({ api: this.settings.api, runtime: kept });
  }

  private failed(message: string): void {
    const prev = this.current.error;
    if (prev?.message === message) return;
    if (!prev) this.deps.log?.(`Traefik API ${this.settings.api}: ${message}`);
    const error = { message, since: prev?.since ?? this.now().toISOString() };
    this.set(this.current.runtime ? { api: this.settings.api, runtime: this.current.runtime, error } : { api: this.settings.api, error });
  }

  private set(v: TraefikView): void {
    this.current = v;
    for (const l of [...this.listeners]) l(v);
  }
}
