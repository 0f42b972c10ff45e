import 'server-only';
/**
 * History as the app runs it: the store the configuration names (lib/history/store.ts: embedded PGlite,
 * or a shared PostgreSQL), and the recorder that follows the live source into it (a memory listener,
 * lib/server/memory.ts). With history off - a dump, `CHAINBOARD_HISTORY=off` - the service is the off
 * one and nothing is recorded; the live dashboard never waits on any of it.
 *
 * Every live cluster gets its own recorder, writing under the cluster's name: its own transitions,
 * changes and coverage, so one cluster going stale is no data for that cluster and nothing else.
 *
 * The demo seeds a generated 30-day past into a cluster without history from its first synced analysis,
 * before the cluster's recorder reads its memory, so the live timeline continues the generated one
 * without a jump.
 */
import type { SourceUpdate } from '../api/source';
import { generateDemoPast } from '../history/demo-past';
import { offHistory } from '../history/off';
import { createRecorder } from '../history/recorder';
import { createHistoryService } from '../history/store';
import type { HistorySeeding, HistoryService } from '../history/types';
import type { Config } from './config';
import { isSynced, type MemoryListener } from './memory';

export interface AppHistory {
  readonly service: HistoryService;
  /** A recorder for a newly started live cluster, under its name; `undefined` with history off. */
  listener(cluster: string): MemoryListener | undefined;
  /** Flush what is queued and close the store (server shutdown). */
  close(): Promise<void>;
}

export function createAppHistory(config: Config, deps: { now: () => Date; log: (m: string) => void }): AppHistory {
  const h = config.history;
  if (!h.enabled) {
    const service = offHistory(h.reason);
    return { service, listener: () => undefined, close: async () => {} };
  }
  const service = lazily(() =>
    createHistoryService({ engine: h.engine, defaultCluster: h.defaultCluster, retentionDays: h.retentionDays, now: deps.now, log: deps.log }),
  );
  return {
    service,
    listener(cluster) {
      const recorder = createRecorder({ history: service, cluster, now: deps.now, log: deps.log });
      let starting: Promise<void> | undefined;
      // The generated past ends in each domain's current health, so it waits for the first probe round
      // (TLS and DNS are part of that health), or for half a minute of synced data when probes are slow.
      let probed = !config.probe.enabled;
      let firstSyncedAt: number | undefined;
      const begin = (u: Extract<SourceUpdate, { type: 'view' }>) => {
        if (starting || !u.synced || !u.result) return;
        firstSyncedAt ??= deps.now().getTime();
        if (h.demoPast && !probed && deps.now().getTime() - firstSyncedAt < 30_000) return;
        const result = u.result;
        const seed = h.demoPast && service.seedIfEmpty ? service.seedIfEmpty(cluster, generateDemoPast(result, { now: deps.now(), cluster })) : Promise.resolve(false);
        starting = seed
          .then(
            (wrote) => wrote && deps.log(`history: seeded a generated 30-day past of cluster ${cluster} (demo data)`),
            (e: unknown) => deps.log(`history: could not seed the demo past: ${(e as Error).message}`),
          )
          .then(() => recorder.start());
      };
      // Without a demo past to seed, the recorder reads its memory at once.
      if (!h.demoPast) starting = recorder.start();
      return {
        update(u) {
          if (u.type === 'view') {
            begin(u);
            recorder.observeView({ result: u.result, synced: u.synced });
          } else if (u.type === 'objects') recorder.observeObjects(u.kind, u.changes);
          else {
            probed = true;
            recorder.observeProbes(u.results);
          }
        },
        tick(state) {
          const synced = isSynced(state);
          if (state.result) begin({ cluster, type: 'view', result: state.result, synced });
          // Loss of sync produces no new analysis: the tick tells the recorder, whose heartbeat then closes
          // the coverage, so the time reads no-data rather than up.
          recorder.observeView({ result: state.result, synced });
        },
        stop: () => recorder.stop(),
      };
    },
    async close() {
      await service.flush().catch(() => {});
      await service.close().catch(() => {});
    },
  };
}

/**
 * The store opens on first use, not when the app is built: building an app (a test, a CLI path that
 * never reads history) must not create a data directory or a database connection.
 */
function lazily(open: () => HistoryService & HistorySeeding): HistoryService & HistorySeeding {
  let real: (HistoryService & HistorySeeding) | undefined;
  let closed = false;
  const get = () => (real ??= open());
  return {
    status: () => get().status(),
    record: (r) => get().record(r),
    heartbeat: (c, at, synced) => get().heartbeat(c, at, synced),
    lastStates: (c) => get().lastStates(c),
    domain: (host, q) => get().domain(host, q),
    namespace: (ns, q) => get().namespace(ns, q),
    summaries: (c) => get().summaries(c),
    clusters: () => get().clusters(),
    seedIfEmpty: (c, past) => get().seedIfEmpty(c, past),
    flush: async () => (real ? real.flush() : undefined),
    close: async () => {
      if (closed) return;
      closed = true;
      if (real) await real.close();
    },
  };
}
