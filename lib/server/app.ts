import 'server-only';
/**
 * The composition root: `createApp(config)` builds, from one parsed {@link Config}, everything the web app
 * runs on - the analysis source (live watch caches with their probes, or a dump), the read API over it,
 * sharing, the metrics registry and the production server's fast path - and owns their lifetime.
 *
 * Nothing below this module reads the environment or keeps a process-wide instance: each part is handed
 * what it needs here (Backstage's `createBackend()`, Traefik's `cmd/traefik` wiring). Route handlers,
 * pages, proxy.ts and bin/chainboard-server.mjs reach the one app through lib/server/current.ts.
 */
import { createApiService, type ApiService } from '../api/service';
import { createLoginThrottle, type LoginThrottle } from '../auth/throttle';
import { createSource, type AnalysisSource } from '../api/source';
import { createMetrics, type ChainboardMetrics } from '../metrics/registry';
import { createShareService, type ShareService } from '../share/service';
import type { Config } from './config';
import { createFastPath, type FastHandler } from './fast-path';
import { createFront, type Front, type NextHandler } from './front';
import { DowntimeMeter } from '../metrics/downtime';
import { createAppHistory } from './history';
import { attachMemory, meterListener, type MemoryListener } from './memory';
import type { HistoryService } from '../history/types';

export interface App {
  readonly config: Config;
  /** The app's clock: request handlers, share links and the dump's analysis time read it. */
  readonly now: () => Date;
  /**
   * The analysis source, started on first use. A failed start (no kubeconfig yet, an unknown context) is
   * not kept: the next call tries again, and the API says why meanwhile.
   */
  source(): Promise<AnalysisSource>;
  readonly api: ApiService;
  readonly share: ShareService;
  readonly metrics: ChainboardMetrics;
  /** The domains' memory (lib/history): since when, what changed, uptime. Never required by the live view. */
  readonly history: HistoryService;
  /** Failed sign-ins (the login form and bearer tokens) per client, on the app's clock. */
  readonly loginThrottle: LoginThrottle;
  /** The read API's and the probes' fast path (lib/server/fast-path.ts). */
  readonly fastPath: FastHandler;
  /**
   * The production server's request listener around Next's handler: the fast path, then the preflight
   * checks, then Next behind the render queue of `config.renderQueue` (lib/server/front.ts).
   * bin/chainboard-server.mjs calls it through the global key of lib/server/current.ts.
   */
  serve(next: NextHandler): Front;
  /** Stop the source (watches, probes). The app can start it again on the next call. */
  stop(): Promise<void>;
  /** Stop the source and close the history store, its queue flushed (server shutdown). */
  shutdown(): Promise<void>;
}

export interface AppDeps {
  log?: (message: string) => void;
  now?: () => Date;
  /** Process metrics (CPU, memory, event loop) in the registry: on for the server, off in tests. */
  defaultMetrics?: boolean;
}

/** Build the app. Nothing starts until the first request asks for the source. */
export function createApp(config: Config, deps: AppDeps = {}): App {
  const log = deps.log ?? ((m: string) => console.warn(`chainboard: ${m}`));
  const now = deps.now ?? (() => new Date());
  let starting: Promise<AnalysisSource> | undefined;
  let detach = () => {};
  const downtime = new DowntimeMeter();
  const history = createAppHistory(config, { now, log });

  const source = (): Promise<AnalysisSource> => {
    starting ??= createSource(config, { log, now }).then(
      (s) => {
        // Per cluster: its own down-time clock and, with history on, its own recorder under its name.
        const listeners = (cluster: string): MemoryListener[] => {
          const recorder = history.listener(cluster);
          return [meterListener(downtime, cluster, now), ...(recorder ? [recorder] : [])];
        };
        detach = attachMemory(s, listeners, { now, log });
        return s;
      },
      (e: unknown) => {
        starting = undefined;
        throw e;
      },
    );
    return starting;
  };

  const api = createApiService(source);
  const share = createShareService(config.share, api);
  const metrics = createMetrics(
    async () => {
      try {
        return (await source()).clusters();
      } catch {
        // No source (it cannot start): the gauges are empty and chainboard_ready is 0.
        return undefined;
      }
    },
    now,
    { defaultMetrics: deps.defaultMetrics ?? false, downtime },
  );

  const app: App = {
    config,
    now,
    source,
    api,
    share,
    metrics,
    history: history.service,
    loginThrottle: createLoginThrottle({ now: () => now().getTime(), trustedProxies: config.loginThrottle.trustedProxies }),
    fastPath: createFastPath(() => app),
    serve: (next) => createFront({ app: () => app, fastPath: app.fastPath, next, queue: config.renderQueue }),
    async stop() {
      const s = starting;
      starting = undefined;
      detach();
      detach = () => {};
      if (s) await (await s.catch(() => undefined))?.stop();
    },
    async shutdown() {
      await app.stop();
      await history.close();
    },
  };
  return app;
}
