import 'server-only';
/**
 * Test support: apps over the sample cluster dump (samples/cluster), built from a configuration as the
 * server builds its own, so tests of routes and pages exercise the real wiring without a cluster.
 */
import { join } from 'node:path';
import { createApp, type App } from './app';
import { parseConfig, type Env } from './config';
import { setApp } from './current';

/** The sample cluster dump the README's examples use. */
export const SAMPLE_CLUSTER = join(__dirname, '..', '..', 'samples', 'cluster');

/** An app serving the sample dump, with `env` on top (e.g. `CHAINBOARD_AUTH_TOKEN`). */
export function sampleApp(env: Env = {}, now?: () => Date): App {
  return createApp(parseConfig({ CHAINBOARD_DUMP: SAMPLE_CLUSTER, ...env }), { log: () => {}, now });
}

/** Make `app` the process's app (what route handlers and pages reach) while `fn` runs, then stop it. */
export async function withApp<T>(app: App, fn: (app: App) => Promise<T>): Promise<T> {
  const previous = setApp(app);
  try {
    return await fn(app);
  } finally {
    setApp(previous);
    await app.stop();
  }
}
