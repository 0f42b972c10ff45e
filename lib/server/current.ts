import 'server-only';
/**
 * The process's one app, and the only accessor of it: route handlers (through `apiRoute`), pages,
 * proxy.ts and instrumentation.ts call {@link getApp}.
 *
 * Why a global: Next compiles route handlers, pages, the proxy and instrumentation.ts into separate
 * bundles, each with its own copy of every module, and `next dev` re-evaluates modules on each edit. A
 * module-level variable would exist once per bundle (several watch caches on one cluster); a key on
 * globalThis is shared by all of them. bin/chainboard-server.mjs, which Next does not compile, reads
 * the same key ({@link APP_KEY}) for the app's fast path once Next has run instrumentation.ts.
 */
import { KubeConfigError, locateKubeConfig } from '../cluster/kubeconfig';
import { createApp, type App } from './app';
import { parseConfig } from './config';

/** `Symbol.for('chainboard.app')`: the key bin/chainboard-server.mjs reads too. */
export const APP_KEY = Symbol.for('chainboard.app');

type Holder = { [APP_KEY]?: App };

/**
 * The app, built from `process.env` on first use. Throws `ConfigError` (every problem listed) while the
 * configuration is invalid; instrumentation.ts calls this at start, so such a server stops at once.
 */
export function getApp(): App {
  const g = globalThis as Holder;
  return (g[APP_KEY] ??= createApp(parseConfig(process.env), { defaultMetrics: true }));
}

/**
 * Build the app at server start (instrumentation.ts). An invalid configuration, or a live cluster with no
 * kubeconfig to reach it, ends the process with the reason: a server that would answer every request
 * with the same error is better stopped where the operator sees why.
 */
export function startApp(): App {
  try {
    const app = getApp();
    const cluster = app.config.cluster;
    if (cluster.mode === 'live') locateKubeConfig({ kubeconfig: cluster.kubeconfig });
    // A server that keeps history watches from its start, not from its first visitor: otherwise the time
    // until someone opens a page would read as no data.
    if (app.config.history.enabled) void app.source().catch(() => {});
    return app;
  } catch (e) {
    const hint = e instanceof KubeConfigError && e.problem === 'none' ? '; set KUBECONFIG, or CHAINBOARD_DUMP to serve a dump' : '';
    console.error(`chainboard: ${(e as Error).message}${hint}`);
    process.exit(2);
  }
}

/**
 * Replace the process's app (tests build one from their own configuration); returns the one it replaces,
 * which the caller stops or puts back. `undefined` leaves none: the next {@link getApp} builds one from
 * the environment.
 */
export function setApp(app: App | undefined): App | undefined {
  const g = globalThis as Holder;
  const previous = g[APP_KEY];
  if (app) g[APP_KEY] = app;
  else delete g[APP_KEY];
  return previous;
}
