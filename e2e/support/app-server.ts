/**
 * A second Chainboard, for specs that need one configured differently from the shared web server
 * (playwright.config.ts): the production server as the image runs it (bin/chainboard-server.mjs) on the
 * build the web server's command has just made, on 127.0.0.1 and a free port, reading the demo cluster
 * through a kubeconfig with its own token, so the demo's `forbid` and `hold-lists` rules can single it out.
 *
 * Always `stop()` it (in `finally`): it runs in its own process group, and stop ends that group only.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { freePort, waitFor } from '../../lib/testing/net';
import { DemoCluster } from './demo';
import { ROOT } from './env';

export interface AppServer {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** What the server printed so far (the tail), for failure messages. */
  output(): string;
  /** SIGTERM to its process group, SIGKILL after 5 s; resolves once it has exited. */
  stop(): Promise<void>;
}

export interface AppServerOptions {
  /** The demo cluster to read, and the bearer token this server's kubeconfig sends. */
  demo: DemoCluster;
  token: string;
  /** Where the kubeconfig is written (e.g. `testInfo.outputPath('kubeconfig')`). */
  kubeconfigPath: string;
  /** Extra settings, e.g. `CHAINBOARD_NAMESPACES`. */
  env?: Record<string, string>;
}

const SERVER_BIN = join(ROOT, 'bin', 'chainboard-server.mjs');
const OUTPUT_LIMIT = 20_000;

/**
 * Starts the server and resolves once it answers `/api/healthz`, which does not touch the cluster: the
 * watch caches start on the first request that needs data, so the caller decides when that is.
 */
export async function startAppServer(opts: AppServerOptions): Promise<AppServer> {
  writeFileSync(opts.kubeconfigPath, await opts.demo.kubeconfig(opts.token), { mode: 0o600 });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;

  // The settings scripts/demo.ts gives the shared server, minus the probes: they dial the demo's Traefik
  // and DNS stand-ins, whose ports only that script knows, and they play no part in the cache sync or in
  // RBAC. Nothing inherited may point this server elsewhere (another KUBECONFIG, a namespace list).
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k === 'KUBECONFIG' || k.startsWith('CHAINBOARD_')) delete env[k];
  Object.assign(env, {
    NEXT_TELEMETRY_DISABLED: '1',
    KUBECONFIG: opts.kubeconfigPath,
    CHAINBOARD_CONTEXT: '',
    CHAINBOARD_READ_SECRETS: '1',
    CHAINBOARD_CERT_MANAGER: '1',
    CHAINBOARD_PROBE: 'off',
    // Its own history store beside its kubeconfig (the test's output folder): never the checkout's ./data,
    // and never a store another server has open.
    CHAINBOARD_DATA_DIR: join(dirname(opts.kubeconfigPath), 'history'),
    ...opts.env,
  });

  // detached: its own process group, so stop() reaches whatever the server spawns, and nothing else.
  const child = spawn(process.execPath, [SERVER_BIN, '-H', '127.0.0.1', '-p', String(port)], {
    cwd: ROOT,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (chunk: Buffer) => {
    out = (out + chunk.toString()).slice(-OUTPUT_LIMIT);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const running = () => child.exitCode === null && child.signalCode === null;
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    } catch {
      // Already gone.
    }
  };
  // Should the worker die before a spec's finally runs, the server must not outlive it.
  const onExit = () => killGroup('SIGKILL');
  process.once('exit', onExit);

  const server: AppServer = {
    url,
    output: () => out,
    async stop() {
      process.off('exit', onExit);
      if (!running()) return;
      killGroup('SIGTERM');
      const t = setTimeout(() => killGroup('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    },
  };

  // Bounded wait for it to listen; a server that exits (port taken, no build) fails at once, with its output.
  try {
    await waitFor(`the server on ${url} to answer /api/healthz`, async () => (await fetch(`${url}/api/healthz`, { signal: AbortSignal.timeout(2000) })).ok, {
      timeoutMs: 30_000,
      intervalMs: 200,
      abort: () => (running() ? undefined : `the server exited (${child.exitCode ?? child.signalCode})`),
    });
  } catch (e) {
    await server.stop();
    throw new Error(`${(e as Error).message}:\n${out}`);
  }
  return server;
}
