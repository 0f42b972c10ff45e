/**
 * Background probing for the web app: pages read the last results and never wait for the network.
 *
 * - Only the targets handed to `update()` are probed (they come from `probeTargets()`, i.e. from the
 *   cluster's Ingresses and the configuration). There is deliberately no method that probes a host given
 *   by a caller: a host typed into a URL can never make Chainboard connect anywhere.
 * - One probe (TLS, DNS and the host's HTTP checks together) in flight per host; at most `concurrency` hosts at once.
 * - Results are reused for `ttlMs` (`failureTtlMs` after a failure, so a fix shows soon); stale results
 *   stay visible while the host is probed again.
 */
import 'server-only';
import type { HostProbes, ProbeResults } from '../model/probe';
import { probeDns } from './dns';
import { probeHttpHost, type ResolveHost } from './http';
import { DEFAULT_PROBE_SETTINGS, type ProbeSettings } from './settings';
import type { ProbeTarget } from './targets';
import { probeTls } from './tls';

export interface ProbeManagerOptions
  extends Partial<Pick<ProbeSettings, 'timeoutMs' | 'ttlMs' | 'failureTtlMs' | 'concurrency' | 'dnsServers' | 'ca'>> {
  /** Resolve hosts as well as handshaking (default true). */
  dns?: boolean;
  /** Request each route path of a dialled host (default true). */
  http?: boolean;
  /** Checked again right before dialling: defence in depth behind `probeTargets`. */
  allowAddress?: (address: string) => boolean;
  /** Clock (epoch ms), for TTLs and `checkedAt`. */
  now?: () => number;
  /**
   * How often stale hosts are re-probed without anyone asking (ms); 0 turns the timer off, leaving
   * re-probes to `results()` and `refresh()`. Default 5000. The timer never keeps the process alive.
   */
  refreshIntervalMs?: number;
}

/** Called with each new result; the host is one `update()` gave. */
export type ProbeListener = (host: string, probes: HostProbes) => void;

interface Entry {
  target: ProbeTarget;
  /** Identity of what is dialled: a changed address or port invalidates the cached result. */
  key: string;
  result?: HostProbes;
  expiresAt?: number;
  queued: boolean;
  inFlight?: { key: string; abort: AbortController };
}

const keyOf = (t: ProbeTarget) => `${t.address ?? ''}|${t.port}|${JSON.stringify(t.http ?? [])}`;

/** True when a result should be re-checked soon (anything short of a clean handshake and an address). */
function failed(p: HostProbes): boolean {
  return (
    p.tls?.status === 'error' ||
    (p.dns !== undefined && p.dns.status !== 'ok') ||
    (p.http ?? []).some((h) => h.status === 'error' || h.statusCode >= 500 || h.from === 'controller')
  );
}

/** Runs probes in the background; see the module comment for the guarantees. */
export class ProbeManager {
  private readonly entries = new Map<string, Entry>();
  private readonly queue: string[] = [];
  private readonly listeners = new Set<ProbeListener>();
  private readonly idleWaiters: (() => void)[] = [];
  private running = 0;
  private stopped = false;
  private readonly timer?: NodeJS.Timeout;
  private readonly opts: Required<Omit<ProbeManagerOptions, 'ca' | 'allowAddress'>> & Pick<ProbeManagerOptions, 'ca' | 'allowAddress'>;

  constructor(options: ProbeManagerOptions = {}) {
    // At least 1 ms: a zero TTL would re-queue a host the moment its result lands, forever.
    const ttlMs = Math.max(1, options.ttlMs ?? DEFAULT_PROBE_SETTINGS.ttlMs);
    this.opts = {
      timeoutMs: options.timeoutMs ?? DEFAULT_PROBE_SETTINGS.timeoutMs,
      ttlMs,
      failureTtlMs: Math.max(1, Math.min(options.failureTtlMs ?? DEFAULT_PROBE_SETTINGS.failureTtlMs, ttlMs)),
      concurrency: Math.max(1, options.concurrency ?? DEFAULT_PROBE_SETTINGS.concurrency),
      dnsServers: options.dnsServers ?? [],
      dns: options.dns ?? true,
      http: options.http ?? true,
      now: options.now ?? Date.now,
      refreshIntervalMs: options.refreshIntervalMs ?? 5000,
      ca: options.ca,
      allowAddress: options.allowAddress,
    };
    if (this.opts.refreshIntervalMs > 0) {
      this.timer = setInterval(() => this.refresh(), this.opts.refreshIntervalMs);
      this.timer.unref();
    }
  }

  /**
   * Replace the set of targets (the hosts currently in the cluster). New or changed hosts are queued;
   * hosts no longer present are dropped with their results, and their probes cancelled. Returns at once.
   */
  update(targets: readonly ProbeTarget[]): void {
    if (this.stopped) return;
    const next = new Map(targets.map((t) => [t.host, t]));
    for (const [host, entry] of this.entries) {
      if (!next.has(host)) {
        entry.inFlight?.abort.abort();
        this.entries.delete(host);
      }
    }
    for (const [host, target] of next) {
      const key = keyOf(target);
      const entry = this.entries.get(host);
      if (!entry) {
        this.entries.set(host, { target, key, queued: false });
      } else if (entry.key !== key) {
        // The result was about another address: it no longer describes this host.
        entry.target = target;
        entry.key = key;
        delete entry.result;
        delete entry.expiresAt;
      }
    }
    this.refresh();
  }

  /** Queue every host whose result is missing or stale; never waits. */
  refresh(): void {
    if (this.stopped) return;
    const now = this.opts.now();
    for (const [host, e] of this.entries) {
      if (e.queued || e.inFlight) continue;
      if (e.expiresAt !== undefined && now < e.expiresAt) continue;
      e.queued = true;
      this.queue.push(host);
    }
    this.pump();
    this.settleIdle();
  }

  /**
   * The latest result per host (possibly stale while a re-probe runs). Reading also queues stale hosts,
   * in the background.
   */
  results(): ProbeResults {
    this.refresh();
    const out: ProbeResults = {};
    for (const [host, e] of this.entries) if (e.result) out[host] = e.result;
    return out;
  }

  /** Subscribe to new results; returns the unsubscribe function. */
  onResult(cb: ProbeListener): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  /** Counts, for health pages and tests. */
  status(): { hosts: number; inFlight: number; queued: number } {
    return { hosts: this.entries.size, inFlight: this.running, queued: this.queue.length };
  }

  /** Resolves when nothing is queued or in flight (immediately if so already). */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Cancel probes in flight, stop the timer, forget listeners. Later calls do nothing. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.queue.length = 0;
    for (const e of this.entries.values()) {
      e.queued = false;
      e.inFlight?.abort.abort();
    }
    this.listeners.clear();
    this.settleIdle();
  }

  private isIdle(): boolean {
    return this.running === 0 && this.queue.length === 0;
  }

  private settleIdle(): void {
    if (!this.isIdle()) return;
    for (const w of this.idleWaiters.splice(0)) w();
  }

  private pump(): void {
    while (!this.stopped && this.running < this.opts.concurrency && this.queue.length > 0) {
      const host = this.queue.shift() as string;
      const entry = this.entries.get(host);
      if (!entry || !entry.queued) continue; // dropped while queued
      entry.queued = false;
      this.start(host, entry);
    }
  }

  private start(host: string, entry: Entry): void {
    const { target, key } = entry;
    const abort = new AbortController();
    entry.inFlight = { key, abort };
    this.running++;
    void this.probe(target, abort.signal)
      .then((probes) => {
        // Keep the result only if the host is still wanted at the same address.
        if (this.stopped || this.entries.get(host) !== entry || entry.key !== key) return;
        entry.result = probes;
        entry.expiresAt = this.opts.now() + (failed(probes) ? this.opts.failureTtlMs : this.opts.ttlMs);
        for (const cb of this.listeners) {
          try {
            cb(host, probes);
          } catch {
            // A listener's bug must not stop the probing of other hosts.
          }
        }
      })
      .finally(() => {
        this.running--;
        if (entry.inFlight?.abort === abort) delete entry.inFlight;
        // A target that changed while this probe ran is stale now: refresh() queues it again.
        this.refresh();
        this.settleIdle();
      });
  }

  private async probe(t: ProbeTarget, signal: AbortSignal): Promise<HostProbes> {
    const { timeoutMs, now, ca, dnsServers } = this.opts;
    const dial = t.address !== undefined && (this.opts.allowAddress?.(t.address) ?? true);
    const checks = this.opts.http && dial ? (t.http ?? []) : [];
    const [tls, dns, http] = await Promise.all([
      dial ? probeTls({ host: t.host, address: t.address as string, port: t.port, timeoutMs, ca, now, signal }) : undefined,
      this.opts.dns ? probeDns({ host: t.host, servers: dnsServers, timeoutMs, now, signal }) : undefined,
      checks.length
        ? probeHttpHost({ host: t.host, address: t.address as string, port: t.port, checks, resolveHost: this.resolveHost, timeoutMs, now, signal })
        : undefined,
    ]);
    return { ...(tls ? { tls } : {}), ...(dns ? { dns } : {}), ...(http?.length ? { http } : {}) };
  }

  /**
   * Where a redirect's host is dialled: only hosts `update()` gave (the cluster's), at their own allowed
   * address. Any other host is off-site, so a redirect can never make Chainboard connect elsewhere.
   */
  private readonly resolveHost: ResolveHost = (host) => {
    const t = this.entries.get(host)?.target;
    if (!t?.address || !(this.opts.allowAddress?.(t.address) ?? true)) return undefined;
    return { address: t.address, port: t.port };
  };
}

/**
 * Probe every target once and return the results: the one-shot form for `chainboard check` (also with
 * `--from DUMP`, whose targets come from the dump's Ingress status). Same bounds as the manager:
 * timeout, concurrency, one probe per host. With probing disabled it returns `{}` without any I/O.
 */
export async function probeAll(
  targets: readonly ProbeTarget[],
  settings: Partial<ProbeSettings> & Pick<ProbeManagerOptions, 'allowAddress' | 'dns' | 'http' | 'now'> = {},
): Promise<ProbeResults> {
  if (settings.enabled === false || targets.length === 0) return {};
  const manager = new ProbeManager({ ...settings, refreshIntervalMs: 0 });
  try {
    manager.update(targets);
    await manager.idle();
  } finally {
    manager.stop();
  }
  // Read after stop(): a stopped manager queues nothing more.
  return manager.results();
}
