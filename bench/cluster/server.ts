/**
 * Phase 3: the production server (`bin/chainboard-server.mjs`, Next behind the read API's fast path) with
 * KUBECONFIG at the demo server (with several clusters, a context each, in CHAINBOARD_CONTEXTS) and probes
 * off: its start, its first full sync of every cluster and its memory.
 */
import type { ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEFAULT_NAMESPACE_PREFIX } from '../../lib/chain/options';
import { freePort, waitFor } from '../../lib/testing/net';
import type { Bench } from './context';
import { ROOT } from './options';
import { procMemory, processTree, serverProcess, type ServerProcess } from './proc';
import type { SeededCluster } from './seed';
import { fmtBytes, fmtMs, sleep } from './stats';

/** The server's V8 heap, in bytes. */
export interface ServerHeap {
  used: number;
  total: number;
}

/** A running server and what its start measured. */
export interface RunningServer {
  /** http://127.0.0.1:<port> */
  base: string;
  child: ChildProcess;
  logFd: number;
  /** The process of the tree that holds the memory. */
  srv: ServerProcess;
  /** Spawn -> /api/healthz answers. */
  listeningMs: number;
  /** First data request -> /api/readyz 200 with every cluster ready. */
  firstSyncMs: number;
  /** With several clusters: first data request -> /api/readyz 200 for the first of them. */
  firstClusterSyncMs: number;
  spawnToReadyMs: number;
  /** RSS before the first data request and after the first sync. */
  rssBase: number;
  rssAfterSync: number;
  heapAfterSync: ServerHeap | undefined;
}

/** The server's memory when the load is over. */
export interface ServerEnd {
  srvEnd: { rss: number; hwm: number } | undefined;
  heapEnd: ServerHeap | undefined;
}

/** The server's V8 heap, from its Prometheus metrics (prom-client's default Node metrics). */
async function serverHeap(base: string): Promise<ServerHeap | undefined> {
  try {
    const text = await (await fetch(`${base}/api/metrics`)).text();
    const g = (name: string) => Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1]);
    const used = g('nodejs_heap_size_used_bytes');
    return Number.isFinite(used) ? { used, total: g('nodejs_heap_size_total_bytes') } : undefined;
  } catch {
    return undefined;
  }
}

/** A GET's status and body text. */
export async function getJson(url: string): Promise<{ status: number; text: string }> {
  const res = await fetch(url);
  return { status: res.status, text: await res.text() };
}

/** Starts the server on a free port, waits for it to answer and for its first full sync, and reads its memory. */
export async function startServer(bench: Bench, cluster: SeededCluster, work: string): Promise<RunningServer> {
  const { options, processes } = bench;
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const logFile = join(work, 'next.log');
  const logFd = openSync(logFile, 'w');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    KUBECONFIG: cluster.kubeconfig,
    CHAINBOARD_CONTEXT: '',
    // One cluster per context of the kubeconfig with --clusters N; '' (one cluster) otherwise.
    CHAINBOARD_CONTEXTS: cluster.contexts,
    CHAINBOARD_CLUSTER_NAME: '',
    CHAINBOARD_REMOTE_KUBECONFIGS: '',
    // The HTTPRoutes of the mixed cluster are read as in an install with the Gateway API on.
    CHAINBOARD_GATEWAY_API: cluster.gatewayDomains > 0 ? '1' : '',
    CHAINBOARD_PROBE: 'off',
    CHAINBOARD_NAMESPACES: '',
    CHAINBOARD_NAMESPACE_PREFIX: DEFAULT_NAMESPACE_PREFIX,
    CHAINBOARD_AUTH_TOKEN: '',
    CHAINBOARD_DUMP: '',
    // History is on, as in production, so its cost is in every figure; its store lives in the run's folder.
    CHAINBOARD_DATA_DIR: join(work, 'history'),
    NEXT_TELEMETRY_DISABLED: '1',
    NODE_OPTIONS: options.serverNodeOptions.value,
  };
  const tSpawn = performance.now();
  // The production server as the image runs it, in one process; --cpu-prof cannot go through NODE_OPTIONS.
  const profArgs = options.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProf}`] : [];
  const child = processes.spawn(process.execPath, [...profArgs, join(ROOT, 'bin/chainboard-server.mjs'), '-H', '127.0.0.1', '-p', String(port)], { env, stdout: logFd, stderr: logFd });
  processes.onCleanup('the server', () => processes.stop(child));
  const serverLog = () => readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n');
  let serverExited: number | null | undefined;
  child.on('exit', (c) => (serverExited = c));
  const serverGone = () => (serverExited !== undefined ? `the server exited (${serverExited})` : undefined);
  try {
    await waitFor('the server to answer /api/healthz', async () => (await fetch(`${base}/api/healthz`)).ok, { timeoutMs: 60_000, intervalMs: 50, abort: serverGone });
  } catch (e) {
    throw new Error(`${(e as Error).message}\n--- server log ---\n${serverLog()}`);
  }
  const listeningMs = performance.now() - tSpawn;
  await sleep(500);
  const rssBaseTree = new Map(processTree(child.pid!).map((pid) => [pid, procMemory(pid)?.rss ?? 0]));

  // The first request to a data route starts the watches (the server creates its source lazily).
  // /api/readyz is 200 as soon as one cluster is ready, listing the others under `notReady`: the sync is
  // whole when none is listed.
  const tSync = performance.now();
  let firstClusterSyncMs: number | undefined;
  await waitFor(
    'the first full sync of every cluster (/api/readyz 200, none not ready)',
    async () => {
      const res = await fetch(`${base}/api/readyz`);
      if (res.status !== 200) return false;
      firstClusterSyncMs ??= performance.now() - tSync;
      const body = (await res.json()) as { notReady?: unknown[] };
      return !body.notReady?.length;
    },
    { timeoutMs: 240_000, intervalMs: 100, abort: serverGone },
  );
  const firstSyncMs = performance.now() - tSync;
  const spawnToReadyMs = performance.now() - tSpawn;
  console.error(`bench: the server answered in ${fmtMs(listeningMs)}; first full sync ${fmtMs(firstSyncMs)} after the first request${cluster.servers.length > 1 ? ` (the first cluster ready after ${fmtMs(firstClusterSyncMs!)})` : ''}`);
  await sleep(3_000);
  const srv = serverProcess(child.pid!, 'chainboard-server.mjs');
  if (!srv) throw new Error('cannot find the server process in /proc');
  console.error(`bench: server process ${srv.pid} (${srv.cmd.slice(0, 100)}), RSS ${fmtBytes(srv.rss)}`);
  return {
    base,
    child,
    logFd,
    srv,
    listeningMs,
    firstSyncMs,
    firstClusterSyncMs: firstClusterSyncMs!,
    spawnToReadyMs,
    rssBase: rssBaseTree.get(srv.pid) ?? NaN,
    rssAfterSync: srv.rss,
    heapAfterSync: await serverHeap(base),
  };
}

/** Reads the server's memory after the load, then stops it. */
export async function stopServer(bench: Bench, server: RunningServer): Promise<ServerEnd> {
  const srvEnd = procMemory(server.srv.pid);
  const heapEnd = await serverHeap(server.base);
  await bench.processes.stop(server.child);
  closeSync(server.logFd);
  return { srvEnd, heapEnd };
}
