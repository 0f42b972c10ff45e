/**
 * Cluster-scale benchmark (`npm run bench`): Chainboard against a synthetic cluster served by the demo
 * Kubernetes API server, side by side with the naive way (list everything per request).
 *
 *   node --conditions=react-server --import tsx bench/cluster.ts [--small] [--no-build] [--strict]
 *     [--node-options "--max-old-space-size=N"] [--cpu-prof DIR]
 *
 * Full size: 500 `hst-*` namespaces, 5,000 domains, 50,000 Pods, their Services and EndpointSlices, and the
 * events `kubectl get events -A` would show (Warnings of the broken Pods, Normal events of recent
 * rollouts); 5% of the domains broken. `--small`: 20 namespaces, 200 domains, 2,000 Pods and short load
 * phases, for CI.
 *
 * What it measures, in order:
 * 1. in this process, the watch caches and the analysis store alone (LiveSource + AnalysisStore, as
 *    lib/cluster/runtime.ts wires them): heap per cached object, and what one Pod change re-analyses;
 * 2. the production server (`bin/chainboard-server.mjs`, Next behind the read API's fast path; KUBECONFIG at the demo server, probes off, NODE_OPTIONS as
 *    deploy/base/deployment.yaml sets them): time to first full sync, RSS, payload sizes, latency of
 *    /api/v1/overview and /api/v1/domains/{host} (autocannon with one connection; a fixed rate over 10
 *    connections; autocannon with 10 connections as fast as they go, where the targets are checked), and
 *    freshness (a Pod and its endpoint turn not ready in the API server -> the domain endpoint shows it);
 * 3. the naive way: per request, list every kind from the API server in pages of 500 (as kubectl does),
 *    slim, analyse, answer;
 * 4. `chainboard check --from DUMP --no-probe --json` on a dump of the same cluster.
 *
 * Prints a markdown table (figure, target, pass/miss) and machine info, and writes
 * bench/results/<mode>.json. Exits non-zero only on errors (a server that fails to start or answers
 * with errors, a change that never shows); a missed target is reported, not a failure - unless `--strict`.
 * A production build is needed: it is built (`next build`) when .next/BUILD_ID is missing or older than
 * the sources, unless `--no-build` (then a stale build is used with a warning).
 * Everything listens on 127.0.0.1; everything started is stopped on exit, error or Ctrl-C.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { Agent, get as httpGet } from 'node:http';
import { createServer } from 'node:net';
import { cpus, loadavg, totalmem, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { gzipSync } from 'node:zlib';
import autocannon from 'autocannon';
import { startDemoServer, type DemoServer } from '../demo/server';
import type { KubeObject } from '../demo/resources';
import { analyze, analyzeNamespace, combine, type AnalyzeOptions } from '../lib/chain';
import { LiveSource, loadKubeConfig } from '../lib/cluster/live';
import { AnalysisStore, syncInfo, type Engine } from '../lib/cluster/store';
import { addToSnapshot } from '../lib/cluster/dump';
import { domainView, overviewView } from '../lib/api/views';
import type { SyncInfo } from '../lib/api/types';
import type { ResourceKind } from '../lib/model/k8s';
import { slimObject } from '../lib/model/slim';
import { emptySnapshot, type Snapshot } from '../lib/model/snapshot';
import { rng, syntheticCluster, type K8sObject } from './synthetic';

const ROOT = resolve(__dirname, '..');
const SMALL = process.argv.includes('--small');
const MODE = SMALL ? 'small' : 'full';
const NO_BUILD = process.argv.includes('--no-build');
const STRICT = process.argv.includes('--strict');
/** `--cpu-prof DIR`: profile the server processes (node --cpu-prof), profiles written to DIR when they exit. */
const CPU_PROF = (() => {
  const i = process.argv.indexOf('--cpu-prof');
  return i >= 0 ? resolve(process.argv[i + 1] ?? 'bench/results/profiles') : undefined;
})();

/**
 * The server's NODE_OPTIONS: as the deployment sets them (deploy/base/deployment.yaml: the heap cap the
 * container's memory limit is sized for), unless `--node-options "..."` says otherwise ('' for none).
 */
const SERVER_NODE_OPTIONS = (() => {
  const i = process.argv.indexOf('--node-options');
  if (i >= 0) return { value: process.argv[i + 1] ?? '', from: '--node-options' };
  try {
    const m = /name:\s*NODE_OPTIONS\s*\n\s*value:\s*"?([^"\n]*)"?/.exec(readFileSync(join(ROOT, 'deploy/base/deployment.yaml'), 'utf8'));
    if (m) return { value: m[1]!.trim(), from: 'deploy/base/deployment.yaml' };
  } catch {
    /* no deployment manifest */
  }
  return { value: '', from: 'none' };
})();

const CFG = SMALL
  ? { namespaces: 20, domainsPerNamespace: 10, podsPerDomain: 10, seqSeconds: 2, pacedSeconds: 3, loadSeconds: 4, connections: 10, pacedRate: 100, changes: 20, inProcessChanges: 10, naiveRuns: 5 }
  : { namespaces: 500, domainsPerNamespace: 10, podsPerDomain: 10, seqSeconds: 8, pacedSeconds: 10, loadSeconds: 20, connections: 10, pacedRate: 100, changes: 50, inProcessChanges: 20, naiveRuns: 3 };
const BROKEN_FRACTION = 0.05;
const SEED = 42;
const PREFIX = 'hst-';

// ---------------------------------------------------------------------------------------------------
// Everything started is stopped: servers, child process groups, the temp folder.

const cleanups: { name: string; fn: () => Promise<void> | void }[] = [];
const groups = new Set<number>();
let cleaning: Promise<void> | undefined;

function onCleanup(name: string, fn: () => Promise<void> | void) {
  cleanups.push({ name, fn });
}

function cleanupAll(): Promise<void> {
  cleaning ??= (async () => {
    for (const c of cleanups.splice(0).reverse()) {
      try {
        await Promise.race([c.fn(), sleep(10_000)]);
      } catch (e) {
        console.error(`bench: cleanup ${c.name}: ${(e as Error).message}`);
      }
    }
  })();
  return cleaning;
}

process.on('exit', () => {
  // Last resort (an exit nobody awaited the cleanup for): no child process group outlives the bench.
  for (const pgid of groups) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
});
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(sig, () => {
    console.error(`\nbench: ${sig}, stopping everything`);
    void cleanupAll().finally(() => process.exit(130));
  });
}

/** Spawn in a process group of its own, so the whole tree (next start -> next-server) can be stopped. */
function spawnGroup(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; stdout?: number | 'ignore'; stderr?: number | 'ignore' | 'inherit' } = {}): ChildProcess {
  const child = spawn(cmd, args, { cwd: ROOT, env: opts.env ?? process.env, detached: true, stdio: ['ignore', opts.stdout ?? 'ignore', opts.stderr ?? 'inherit'] });
  if (child.pid) groups.add(child.pid);
  child.on('exit', () => {
    if (child.pid) groups.delete(child.pid);
  });
  return child;
}

async function stopGroup(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (!pid || !groups.has(pid)) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    groups.delete(pid);
    return;
  }
  if ((await Promise.race([exited.then(() => 'exited'), sleep(5_000).then(() => 'timeout')])) === 'timeout') {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      /* gone */
    }
    await Promise.race([exited, sleep(2_000)]);
  }
  groups.delete(pid);
}

// ---------------------------------------------------------------------------------------------------
// Small helpers

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}
const median = (xs: number[]) => percentile(xs, 50);

const MB = 1024 * 1024;
const fmtMs = (x: number) => (!Number.isFinite(x) ? 'n/a' : x >= 1000 ? `${(x / 1000).toFixed(2)} s` : x >= 10 ? `${x.toFixed(0)} ms` : `${x.toFixed(2)} ms`);
const fmtBytes = (n: number) => (n >= MB ? `${(n / MB).toFixed(1)} MB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KB` : `${n} B`);

const rand = rng(SEED);
const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
function fullGc() {
  gc();
  gc();
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolvePort(port));
    });
  });
}

async function waitFor<T>(what: string, timeoutMs: number, intervalMs: number, probe: () => Promise<T | undefined>, abort?: () => string | undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const why = abort?.();
    if (why) throw new Error(`${why} while waiting for ${what}`);
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(intervalMs);
  }
}

// ---------------------------------------------------------------------------------------------------
// /proc: the server's process tree and its memory

function procChildren(): Map<number, number[]> {
  const kids = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = kids.get(ppid) ?? [];
      list.push(Number(name));
      kids.set(ppid, list);
    } catch {
      /* exited meanwhile */
    }
  }
  return kids;
}

function processTree(root: number): number[] {
  const kids = procChildren();
  const out: number[] = [];
  const todo = [root];
  while (todo.length) {
    const p = todo.pop()!;
    out.push(p);
    todo.push(...(kids.get(p) ?? []));
  }
  return out;
}

/** VmRSS and VmHWM of a process, in bytes; undefined once it is gone. */
function procMemory(pid: number): { rss: number; hwm: number } | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(s)?.[1] ?? NaN) * 1024;
    const rss = kb('VmRSS');
    // A zombie (exited, not yet reaped) has no memory lines.
    return Number.isFinite(rss) ? { rss, hwm: kb('VmHWM') } : undefined;
  } catch {
    return undefined;
  }
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
  } catch {
    return '?';
  }
}

/** The process of the tree with the largest RSS: the actual server (a single process now; `next start` ran next-server as a child). */
function serverProcess(root: number): { pid: number; rss: number; hwm: number; cmd: string } | undefined {
  let best: { pid: number; rss: number; hwm: number; cmd: string } | undefined;
  for (const pid of processTree(root)) {
    const m = procMemory(pid);
    if (m && (!best || m.rss > best.rss)) best = { pid, ...m, cmd: cmdline(pid) };
  }
  return best;
}

// ---------------------------------------------------------------------------------------------------
// The synthetic cluster

interface DomainInfo {
  host: string;
  ns: string;
  app: string;
  pods: string[];
  slice?: string;
  /** Every Pod ready and an EndpointSlice: a Pod turning not ready is a visible change. */
  healthy: boolean;
}

function indexDomains(objects: K8sObject[]): DomainInfo[] {
  const byKey = new Map<string, DomainInfo>();
  const key = (ns: string, app: string) => `${ns}/${app}`;
  const meta = (o: K8sObject) => o.metadata as { name: string; namespace?: string; labels?: Record<string, string> };
  for (const o of objects) {
    if (o.kind !== 'Ingress') continue;
    const m = meta(o);
    const host = (o.spec as { rules?: { host?: string }[] }).rules?.[0]?.host;
    if (host) byKey.set(key(m.namespace!, m.name), { host, ns: m.namespace!, app: m.name, pods: [], healthy: true });
  }
  for (const o of objects) {
    const m = meta(o);
    if (o.kind === 'Pod') {
      const d = byKey.get(key(m.namespace!, m.labels?.app ?? ''));
      if (!d) continue;
      d.pods.push(m.name);
      const st = o.status as { conditions?: { type: string; status: string }[] };
      if (!st.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) d.healthy = false;
    } else if (o.kind === 'EndpointSlice') {
      const d = byKey.get(key(m.namespace!, m.labels?.['kubernetes.io/service-name'] ?? ''));
      if (d) d.slice = m.name;
      if (d && !(o as { endpoints?: unknown[] | null }).endpoints?.length) d.healthy = false;
    }
  }
  const out = [...byKey.values()];
  for (const d of out) if (!d.slice || d.pods.length === 0) d.healthy = false;
  return out;
}

/**
 * Write the cluster as `kubectl get <kind> -A -o json > <kind>.json` would, one file per kind, item by item
 * (a 50,000-Pod list as one string would come close to V8's string length limit).
 */
function writeDump(dir: string, objects: K8sObject[]): { files: number; bytes: number } {
  mkdirSync(dir, { recursive: true });
  const kinds = [...new Set(objects.map((o) => o.kind))];
  let bytes = 0;
  for (const kind of kinds) {
    const fd = openSync(join(dir, `${kind.toLowerCase()}s.json`), 'w');
    const w = (s: string) => {
      bytes += Buffer.byteLength(s);
      writeSync(fd, s);
    };
    w('{\n    "apiVersion": "v1",\n    "items": [\n');
    let first = true;
    let buf = '';
    for (const o of objects) {
      if (o.kind !== kind) continue;
      const text = JSON.stringify(o, null, 4).replace(/\n/g, '\n        ');
      buf += `${first ? '' : ',\n'}        ${text}`;
      first = false;
      if (buf.length > 4 * MB) {
        w(buf);
        buf = '';
      }
    }
    w(`${buf}\n    ],\n    "kind": "List",\n    "metadata": {\n        "resourceVersion": ""\n    }\n}\n`);
    closeSync(fd);
  }
  return { files: kinds.length, bytes };
}

/** Turn a Pod (and its endpoint, as the endpointslice controller would next) not ready in the API server. */
function podNotReady(demo: DemoServer, d: DomainInfo, pod: string): void {
  demo.patch('Pod', d.ns, pod, (o) => {
    const st = (o as unknown as { status: { conditions?: { type: string; status: string; reason?: string }[]; containerStatuses?: { ready: boolean }[] } }).status;
    for (const c of st.conditions ?? []) {
      if (c.type === 'Ready' || c.type === 'ContainersReady') {
        c.status = 'False';
        c.reason = 'ContainersNotReady';
      }
    }
    for (const cs of st.containerStatuses ?? []) cs.ready = false;
  });
  demo.patch('EndpointSlice', d.ns, d.slice!, (o) => {
    for (const ep of (o as { endpoints?: { targetRef?: { name?: string }; conditions?: { ready?: boolean; serving?: boolean } }[] }).endpoints ?? []) {
      if (ep.targetRef?.name === pod) ep.conditions = { ...ep.conditions, ready: false, serving: false };
    }
  });
}

/** Does a domain (as the API serves it) show the Pod and its endpoint not ready? */
function showsNotReady(domain: unknown, pod: string): boolean {
  const routes = (domain as { routes?: { service?: { endpoints?: { ready?: boolean; targetRef?: { name?: string }; pod?: { ready?: boolean } }[] } }[] }).routes ?? [];
  for (const r of routes) {
    for (const ep of r.service?.endpoints ?? []) {
      if (ep.targetRef?.name === pod) return ep.ready === false && ep.pod?.ready === false;
    }
  }
  return false;
}

// ---------------------------------------------------------------------------------------------------
// The production build

function newestSourceMtime(): { mtime: number; file: string } {
  let best = { mtime: 0, file: '' };
  const visit = (p: string) => {
    let st;
    try {
      st = statSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      for (const name of readdirSync(p)) {
        if (name === 'node_modules' || name === '__fixtures__' || name.startsWith('.')) continue;
        visit(join(p, name));
      }
    } else if (/\.(tsx?|css|json|mjs|js|svg)$/.test(p) && !/\.test\.tsx?$/.test(p) && st.mtimeMs > best.mtime) best = { mtime: st.mtimeMs, file: p };
  };
  for (const p of ['app', 'components', 'lib', 'proxy.ts', 'next.config.js', 'package.json', 'tsconfig.json', 'postcss.config.mjs']) visit(join(ROOT, p));
  return best;
}

async function ensureBuild(): Promise<string> {
  const buildId = join(ROOT, '.next/BUILD_ID');
  const newest = newestSourceMtime();
  const built = existsSync(buildId) ? statSync(buildId).mtimeMs : undefined;
  if (built !== undefined && built >= newest.mtime) return 'existing production build (.next, up to date)';
  if (NO_BUILD) {
    if (built === undefined) throw new Error('no production build (.next/BUILD_ID): run `npm run build` first, or drop --no-build');
    const note = `existing production build, OLDER than ${newest.file.slice(ROOT.length + 1)} (--no-build)`;
    console.warn(`bench: warning: ${note}`);
    return note;
  }
  console.error(`bench: ${built === undefined ? 'no production build' : `the production build is older than ${newest.file.slice(ROOT.length + 1)}`}: running next build...`);
  const t = performance.now();
  const child = spawnGroup(process.execPath, [join(ROOT, 'node_modules/next/dist/bin/next'), 'build'], { stdout: 2, stderr: 'inherit' });
  const code = await new Promise<number>((r) => child.on('exit', (c) => r(c ?? 1)));
  if (code !== 0) throw new Error(`next build failed (exit ${code})`);
  return `built by the bench (next build, ${((performance.now() - t) / 1000).toFixed(0)} s)`;
}

// ---------------------------------------------------------------------------------------------------
// HTTP load

interface Latency {
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  errors: number;
  non2xx: number;
}

/** autocannon against one URL (or a path per request), for a fixed time; latency percentiles from every response. */
function load(url: string, connections: number, seconds: number, path?: () => string): Promise<Latency> {
  return new Promise((resolveLoad, reject) => {
    const times: number[] = [];
    let non2xx = 0;
    const inst = autocannon(
      { url, connections, duration: seconds, timeout: 30, requests: path ? [{ method: 'GET', setupRequest: (req) => ({ ...req, path: path() }) }] : undefined },
      (err, res) => {
        if (err) return reject(err);
        resolveLoad({
          requests: times.length,
          rps: times.length / res.duration,
          p50: percentile(times, 50),
          p95: percentile(times, 95),
          p99: percentile(times, 99),
          max: Math.max(...times),
          errors: res.errors,
          non2xx,
        });
      },
    );
    inst.on('response', (_client: unknown, status: number, _bytes: number, responseTime: number) => {
      times.push(responseTime);
      if (status < 200 || status >= 300) non2xx++;
    });
    onCleanup('autocannon', () => inst.stop());
  });
}

/**
 * Open-loop load: requests sent at a fixed rate (one every 1000/rate ms, whatever the answers do) over at
 * most `connections` keep-alive connections; latency from the moment a request is sent, including any wait
 * for a free connection, so a queue in front of a slow server counts. (autocannon's rate limit sends each
 * second's budget in a burst, which measures the burst, not the rate.)
 */
async function paced(base: string, path: () => string, rate: number, seconds: number, connections: number): Promise<Latency> {
  // fifo: every connection keeps being used, so none sits idle into the server's keep-alive timeout.
  const agent = new Agent({ keepAlive: true, maxSockets: connections, scheduling: 'fifo' });
  const times: number[] = [];
  let errors = 0;
  let non2xx = 0;
  const total = Math.round(rate * seconds);
  const t0 = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    inflight.push(
      new Promise<void>((done) => {
        const sent = performance.now();
        const fire = (retry: boolean) => {
          const req = httpGet(`${base}${path()}`, { agent }, (res) => {
            if ((res.statusCode ?? 0) < 200 || (res.statusCode ?? 0) >= 300) non2xx++;
            res.resume();
            res.on('end', () => {
              times.push(performance.now() - sent);
              done();
            });
            res.on('error', () => {
              errors++;
              done();
            });
          });
          req.setTimeout(30_000, () => req.destroy(new Error('timeout')));
          req.on('error', (e: NodeJS.ErrnoException) => {
            // A kept-alive connection the server closed as the request went out: send it again, as
            // browsers and undici do for an idempotent GET.
            if (retry && req.reusedSocket && e.code === 'ECONNRESET') return fire(false);
            errors++;
            done();
          });
        };
        fire(true);
      }),
    );
  }
  await Promise.all(inflight);
  const elapsed = (performance.now() - t0) / 1000;
  agent.destroy();
  return { requests: times.length, rps: times.length / elapsed, p50: percentile(times, 50), p95: percentile(times, 95), p99: percentile(times, 99), max: Math.max(...times), errors, non2xx };
}

/** The server's V8 heap, from its Prometheus metrics (prom-client's default Node metrics). */
async function serverHeap(base: string): Promise<{ used: number; total: number } | undefined> {
  try {
    const text = await (await fetch(`${base}/api/metrics`)).text();
    const g = (name: string) => Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1]);
    const used = g('nodejs_heap_size_used_bytes');
    return Number.isFinite(used) ? { used, total: g('nodejs_heap_size_total_bytes') } : undefined;
  } catch {
    return undefined;
  }
}

async function getJson(url: string): Promise<{ status: number; text: string }> {
  const res = await fetch(url);
  return { status: res.status, text: await res.text() };
}

// ---------------------------------------------------------------------------------------------------
// The naive way: what a kubectl-based script does for every request

const NAIVE_KINDS: { kind: ResourceKind; path: string }[] = [
  { kind: 'Namespace', path: '/api/v1/namespaces' },
  { kind: 'IngressClass', path: '/apis/networking.k8s.io/v1/ingressclasses' },
  { kind: 'Ingress', path: '/apis/networking.k8s.io/v1/ingresses' },
  { kind: 'Service', path: '/api/v1/services' },
  { kind: 'EndpointSlice', path: '/apis/discovery.k8s.io/v1/endpointslices' },
  { kind: 'Pod', path: '/api/v1/pods' },
  { kind: 'Event', path: '/api/v1/events' },
];

/** List a collection as kubectl does: pages of 500 (`--chunk-size`), JSON. */
async function listAll(api: string, path: string): Promise<unknown[]> {
  const items: unknown[] = [];
  let cont = '';
  do {
    const res = await fetch(`${api}${path}?limit=500${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`, { headers: { authorization: 'Bearer demo-token', accept: 'application/json' } });
    if (!res.ok) throw new Error(`naive list ${path}: HTTP ${res.status}`);
    const page = (await res.json()) as { items?: unknown[]; metadata?: { continue?: string } };
    for (const it of page.items ?? []) items.push(it);
    cont = page.metadata?.continue ?? '';
  } while (cont);
  return items;
}

async function naiveSnapshot(api: string, namespace?: string): Promise<Snapshot> {
  const snap = emptySnapshot();
  for (const k of NAIVE_KINDS) {
    const cluster = k.kind === 'Namespace' || k.kind === 'IngressClass';
    const path = namespace && !cluster ? k.path.replace(/\/([a-z]+)$/, `/namespaces/${namespace}/$1`) : k.path;
    for (const raw of await listAll(api, path)) {
      const r = slimObject(raw, k.kind);
      if (r.ok) addToSnapshot(snap, r.object);
    }
  }
  return snap;
}

const NAIVE_SYNC: SyncInfo = { ready: true, kinds: [] };

// ---------------------------------------------------------------------------------------------------

interface Row {
  figure: string;
  value: string;
  target: string;
  result: 'pass' | 'miss' | '';
}

async function main(): Promise<number> {
  const started = performance.now();
  const errors: string[] = [];
  const machine = {
    cores: cpus().length,
    model: cpus()[0]?.model ?? '?',
    memory: fmtBytes(totalmem()),
    node: process.version,
    loadAverageAtStart: loadavg().map((x) => Number(x.toFixed(2))),
    loadAverageAtEnd: [] as number[],
  };
  console.error(`bench (${MODE}): ${machine.cores} cores (${machine.model}), node ${machine.node}, load average ${machine.loadAverageAtStart.join(' ')}`);

  const build = await ensureBuild();
  const work = mkdtempSync(join(tmpdir(), 'chainboard-bench-'));
  onCleanup('temp folder', () => rmSync(work, { recursive: true, force: true }));

  // 1. The synthetic cluster, in the demo API server -------------------------------------------------
  let t = performance.now();
  let objects: K8sObject[] | undefined = syntheticCluster({
    namespaces: CFG.namespaces,
    domainsPerNamespace: CFG.domainsPerNamespace,
    podsPerDomain: CFG.podsPerDomain,
    brokenFraction: BROKEN_FRACTION,
    seed: SEED,
    events: 'realistic',
  });
  const counts: Record<string, number> = {};
  for (const o of objects) counts[o.kind] = (counts[o.kind] ?? 0) + 1;
  const warningEvents = objects.filter((o) => o.kind === 'Event' && (o as { type?: string }).type === 'Warning').length;
  const domains = indexDomains(objects);
  const generateMs = performance.now() - t;
  console.error(`bench: generated ${objects.length} objects (${Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(', ')}; ${warningEvents} Warning events) in ${fmtMs(generateMs)}`);

  t = performance.now();
  const dumpDir = join(work, 'dump');
  const dump = writeDump(dumpDir, objects);
  console.error(`bench: wrote the dump (${dump.files} files, ${fmtBytes(dump.bytes)}) in ${fmtMs(performance.now() - t)}`);

  t = performance.now();
  const demo = await startDemoServer({ objects: objects as unknown as KubeObject[], historyLimit: 100_000, bookmarkIntervalMs: 5_000 });
  onCleanup('demo API server', () => demo.close());
  objects = undefined;
  const kubeconfig = demo.writeKubeconfig(join(work, 'kubeconfig'));
  console.error(`bench: demo API server ${demo.url} seeded in ${fmtMs(performance.now() - t)}`);

  const unused = domains.filter((d) => d.healthy);
  const takeDomain = () => {
    const i = Math.floor(rand() * unused.length);
    const d = unused[i]!;
    unused.splice(i, 1);
    return d;
  };
  const hosts = domains.map((d) => d.host);
  const allNamespaces = new Set(domains.map((d) => d.ns)).size;

  // 2. In this process: the watch caches and the analysis store alone --------------------------------
  fullGc();
  const heap0 = process.memoryUsage().heapUsed;
  const calls = { analyzeNamespace: 0, combine: 0, analyzeMs: 0, combineMs: 0 };
  const engine: Engine = {
    analyzeNamespace(s, ns, opts) {
      const t0 = performance.now();
      try {
        return analyzeNamespace(s, ns, opts);
      } finally {
        calls.analyzeNamespace++;
        calls.analyzeMs += performance.now() - t0;
      }
    },
    combine(parts, opts) {
      const t0 = performance.now();
      try {
        return combine(parts, opts);
      } finally {
        calls.combine++;
        calls.combineMs += performance.now() - t0;
      }
    },
  };
  t = performance.now();
  const source = new LiveSource({ kubeConfig: loadKubeConfig({ kubeconfig }) });
  onCleanup('in-process watch caches', () => source.stop());
  source.start();
  await Promise.race([source.whenSettled(), sleep(120_000).then(() => Promise.reject(new Error('in-process watch caches did not sync in 120 s')))]);
  const inProcSettledMs = performance.now() - t;
  fullGc();
  const heapCaches = process.memoryUsage().heapUsed;
  // refreshMs 0: the periodic full refresh would blur the count of what one change re-analyses.
  const store = new AnalysisStore({ source, namespacePrefix: PREFIX, engine, refreshMs: 0 });
  onCleanup('in-process analysis store', () => store.stop());
  const tStore = performance.now();
  store.start();
  await store.ready();
  const inProcReadyMs = performance.now() - t;
  const initialAnalysis = { namespaces: calls.analyzeNamespace, analyzeMs: calls.analyzeMs, combineMs: calls.combineMs, wallMs: performance.now() - tStore };
  fullGc();
  const heapAnalysed = process.memoryUsage().heapUsed;
  const snap = source.snapshot();
  const cached = {
    Namespace: snap.namespaces.length,
    IngressClass: snap.ingressClasses.length,
    Ingress: snap.ingresses.length,
    Service: snap.services.length,
    EndpointSlice: snap.endpointSlices.length,
    Pod: snap.pods.length,
    Event: snap.events.length,
  };
  const cachedObjects = Object.values(cached).reduce((a, b) => a + b, 0);
  console.error(`bench: in-process caches synced in ${fmtMs(inProcSettledMs)} (${cachedObjects} objects), first analysis ${fmtMs(initialAnalysis.wallMs)} incl. 100 ms debounce`);

  // What a request costs the app itself (view + JSON), without the framework around it.
  const handler = (() => {
    const v = store.getResult();
    const result = v.result!;
    const sync = syncInfo(v) as SyncInfo;
    const time = (n: number, fn: () => unknown) => {
      fn();
      const xs: number[] = [];
      for (let i = 0; i < n; i++) {
        const t0 = performance.now();
        fn();
        xs.push(performance.now() - t0);
      }
      return { p50: median(xs), p95: percentile(xs, 95) };
    };
    return {
      overview: time(200, () => JSON.stringify(overviewView(result, sync, { offset: 0, limit: 100 }))),
      domain: time(2000, () => JSON.stringify(domainView(result, sync, pick(domains).host))),
    };
  })();

  // One Pod change at a time: how many namespaces are re-analysed, and what it costs.
  const perChange: { namespaces: number; analyzeMs: number; combineMs: number; visibleMs: number }[] = [];
  for (let i = 0; i < CFG.inProcessChanges; i++) {
    const d = takeDomain();
    const pod = pick(d.pods);
    const before = { ...calls };
    const t0 = performance.now();
    const visible = new Promise<void>((r) => {
      const off = store.onChange((v) => {
        const dom = v.result?.domains.find((x) => x.host === d.host);
        if (dom && showsNotReady(dom, pod)) {
          off();
          r();
        }
      });
    });
    podNotReady(demo, d, pod);
    await Promise.race([visible, sleep(30_000).then(() => Promise.reject(new Error(`in-process: the change of ${d.ns}/${pod} never showed`)))]);
    const visibleMs = performance.now() - t0;
    await sleep(250); // let a flush split across the debounce finish, so it is counted with this change
    perChange.push({
      namespaces: calls.analyzeNamespace - before.analyzeNamespace,
      analyzeMs: calls.analyzeMs - before.analyzeMs,
      combineMs: calls.combineMs - before.combineMs,
      visibleMs,
    });
  }
  store.stop();
  await source.stop();
  console.error(`bench: one Pod change re-analysed at most ${Math.max(...perChange.map((c) => c.namespaces))} of ${allNamespaces} namespaces`);

  // 3. The production server -------------------------------------------------------------------------
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const logFile = join(work, 'next.log');
  const logFd = openSync(logFile, 'w');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    KUBECONFIG: kubeconfig,
    CHAINBOARD_CONTEXT: '',
    CHAINBOARD_PROBE: 'off',
    CHAINBOARD_NAMESPACES: '',
    CHAINBOARD_NAMESPACE_PREFIX: PREFIX,
    CHAINBOARD_AUTH_TOKEN: '',
    CHAINBOARD_DUMP: '',
    NEXT_TELEMETRY_DISABLED: '1',
    NODE_OPTIONS: SERVER_NODE_OPTIONS.value,
  };
  const tSpawn = performance.now();
  // The production server as the image runs it (Next behind the read API's fast path), in one process;
  // --cpu-prof cannot go through NODE_OPTIONS.
  const profArgs = CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF}`] : [];
  const server = spawnGroup(process.execPath, [...profArgs, join(ROOT, 'bin/chainboard-server.mjs'), '-H', '127.0.0.1', '-p', String(port)], { env, stdout: logFd, stderr: logFd });
  onCleanup('the server', () => stopGroup(server));
  const serverLog = () => readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n');
  let serverExited: number | null | undefined;
  server.on('exit', (c) => (serverExited = c));
  const serverGone = () => (serverExited !== undefined ? `the server exited (${serverExited})` : undefined);
  try {
    await waitFor('the server to answer /api/healthz', 60_000, 50, async () => ((await fetch(`${base}/api/healthz`)).ok ? true : undefined), serverGone);
  } catch (e) {
    throw new Error(`${(e as Error).message}\n--- server log ---\n${serverLog()}`);
  }
  const listeningMs = performance.now() - tSpawn;
  await sleep(500);
  const rssBaseTree = new Map(processTree(server.pid!).map((pid) => [pid, procMemory(pid)?.rss ?? 0]));

  // The first request to a data route starts the watches (lib/api/source.ts creates the source lazily).
  const tSync = performance.now();
  await waitFor('the first full sync (/api/readyz 200)', 180_000, 100, async () => ((await fetch(`${base}/api/readyz`)).status === 200 ? true : undefined), serverGone);
  const firstSyncMs = performance.now() - tSync;
  const spawnToReadyMs = performance.now() - tSpawn;
  console.error(`bench: the server answered in ${fmtMs(listeningMs)}; first full sync ${fmtMs(firstSyncMs)} after the first request`);
  await sleep(3_000);
  const srv = serverProcess(server.pid!);
  if (!srv) throw new Error('cannot find the server process in /proc');
  const rssBase = rssBaseTree.get(srv.pid) ?? NaN;
  const rssAfterSync = srv.rss;
  const heapAfterSync = await serverHeap(base);

  // Payloads.
  const overviewDefault = await getJson(`${base}/api/v1/overview`);
  const overviewAll = await getJson(`${base}/api/v1/overview?limit=1000`);
  const someDomain = await getJson(`${base}/api/v1/domains/${encodeURIComponent(hosts[0]!)}`);
  for (const [name, r] of [['overview', overviewDefault], ['overview?limit=1000', overviewAll], ['domain', someDomain]] as const) {
    if (r.status !== 200) throw new Error(`GET ${name}: HTTP ${r.status}: ${r.text.slice(0, 300)}`);
  }
  const overviewJson = JSON.parse(overviewAll.text) as { totals: { namespaces: number; domains: number; domainHealth: Record<string, number> }; namespaces: unknown[] };
  const payload = {
    overviewDefaultBytes: Buffer.byteLength(overviewDefault.text),
    overviewDefaultGzipBytes: gzipSync(overviewDefault.text).length,
    overviewDefaultRows: (JSON.parse(overviewDefault.text) as { namespaces: unknown[] }).namespaces.length,
    overviewAllBytes: Buffer.byteLength(overviewAll.text),
    overviewAllGzipBytes: gzipSync(overviewAll.text).length,
    overviewAllRows: overviewJson.namespaces.length,
    domainBytes: Buffer.byteLength(someDomain.text),
  };
  if (overviewJson.totals.domains !== domains.length) errors.push(`the API serves ${overviewJson.totals.domains} domains, the cluster has ${domains.length}`);

  // Latency: warm-up, then one connection (service time), then 10 (bounded concurrent load).
  const domainPath = () => `/api/v1/domains/${encodeURIComponent(pick(hosts))}`;
  await load(`${base}/api/v1/overview`, 2, 1);
  await load(`${base}/api/v1/domains/x`, 2, 1, domainPath);
  console.error(`bench: load phases (per endpoint: ${CFG.seqSeconds} s at 1 connection, ${CFG.pacedSeconds} s at ${CFG.pacedRate} req/s over ${CFG.connections}, ${CFG.loadSeconds} s as fast as ${CFG.connections} connections go)...`);
  const overviewSeq = await load(`${base}/api/v1/overview`, 1, CFG.seqSeconds);
  const overviewPaced = await paced(base, () => '/api/v1/overview', CFG.pacedRate, CFG.pacedSeconds, CFG.connections);
  const overviewLoad = await load(`${base}/api/v1/overview`, CFG.connections, CFG.loadSeconds);
  const domainSeq = await load(`${base}/api/v1/domains/x`, 1, CFG.seqSeconds, domainPath);
  const domainPaced = await paced(base, domainPath, CFG.pacedRate, CFG.pacedSeconds, CFG.connections);
  const domainLoad = await load(`${base}/api/v1/domains/x`, CFG.connections, CFG.loadSeconds, domainPath);
  for (const [name, l] of [['overview', overviewSeq], ['overview', overviewPaced], ['overview', overviewLoad], ['domain', domainSeq], ['domain', domainPaced], ['domain', domainLoad]] as const) {
    if (l.errors || l.non2xx) errors.push(`${name} load: ${l.errors} errors, ${l.non2xx} non-2xx responses`);
  }
  console.error(`bench: overview p95 ${fmtMs(overviewLoad.p95)} at ${CFG.connections} connections, domain p95 ${fmtMs(domainLoad.p95)}`);

  // Freshness: a change in the API server -> the domain endpoint shows it.
  const fresh: number[] = [];
  for (let i = 0; i < CFG.changes; i++) {
    const d = takeDomain();
    const pod = pick(d.pods);
    const url = `${base}/api/v1/domains/${encodeURIComponent(d.host)}`;
    const t0 = performance.now();
    podNotReady(demo, d, pod);
    try {
      await waitFor(`the change of ${d.ns}/${pod} on ${d.host}`, 30_000, 5, async () => {
        const r = await getJson(url);
        return r.status === 200 && showsNotReady((JSON.parse(r.text) as { domain: unknown }).domain, pod) ? true : undefined;
      });
      fresh.push(performance.now() - t0);
    } catch (e) {
      errors.push((e as Error).message);
    }
    await sleep(100 + rand() * 200);
  }
  console.error(`bench: freshness p50 ${fmtMs(median(fresh))}, p95 ${fmtMs(percentile(fresh, 95))} over ${fresh.length} changes`);
  const srvEnd = procMemory(srv.pid);
  const heapEnd = await serverHeap(base);
  await stopGroup(server);
  closeSync(logFd);

  // 4. The naive way ---------------------------------------------------------------------------------
  console.error(`bench: the naive way (${CFG.naiveRuns} runs per request type)...`);
  const naive = { overview: [] as number[], domain: [] as number[], domainOneNamespace: [] as number[] };
  const analyzeOpts = (): AnalyzeOptions => ({ now: new Date(), namespacePrefix: PREFIX });
  for (let i = 0; i < CFG.naiveRuns; i++) {
    let t0 = performance.now();
    let s = await naiveSnapshot(demo.url);
    JSON.stringify(overviewView(analyze(s, analyzeOpts()), NAIVE_SYNC, { offset: 0, limit: 100 }));
    naive.overview.push(performance.now() - t0);
    const d = pick(domains);
    t0 = performance.now();
    s = await naiveSnapshot(demo.url);
    const view = domainView(analyze(s, analyzeOpts()), NAIVE_SYNC, d.host);
    if (!view) throw new Error(`naive: no domain ${d.host}`);
    JSON.stringify(view);
    naive.domain.push(performance.now() - t0);
    // A smarter script: find the host's namespace in the Ingress list, then list only that namespace.
    t0 = performance.now();
    const ings = await listAll(demo.url, '/apis/networking.k8s.io/v1/ingresses');
    const ns = (ings as { metadata: { namespace: string }; spec?: { rules?: { host?: string }[] } }[]).find((o) => o.spec?.rules?.some((r) => r.host === d.host))?.metadata.namespace;
    if (!ns) throw new Error(`naive: no Ingress for ${d.host}`);
    s = await naiveSnapshot(demo.url, ns);
    JSON.stringify(domainView(analyze(s, analyzeOpts()), NAIVE_SYNC, d.host));
    naive.domainOneNamespace.push(performance.now() - t0);
  }
  await demo.close();
  console.error(`bench: naive overview ${fmtMs(median(naive.overview))}, naive domain ${fmtMs(median(naive.domain))}`);

  // 5. chainboard check --from DUMP ------------------------------------------------------------------
  console.error('bench: chainboard check --from DUMP --no-probe --json > /dev/null ...');
  t = performance.now();
  const cli = spawnGroup(process.execPath, [join(ROOT, 'bin/chainboard.mjs'), 'check', '--from', dumpDir, '--no-probe', '--json'], { stdout: 'ignore', stderr: 'inherit', env: { ...process.env, CHAINBOARD_PROBE: 'off' } });
  let cliPeakRss = 0;
  const sampler = setInterval(() => {
    if (!cli.pid) return;
    for (const pid of processTree(cli.pid)) cliPeakRss = Math.max(cliPeakRss, procMemory(pid)?.hwm || 0);
  }, 100);
  const cliCode = await new Promise<number>((r) => cli.on('exit', (c, sig) => r(c ?? (sig ? 128 : 3))));
  clearInterval(sampler);
  const cliMs = performance.now() - t;
  // 0 healthy, 1 degraded, 2 down: the broken share makes it 2. 3 is an error.
  if (cliCode > 2) errors.push(`chainboard check exited ${cliCode}`);
  console.error(`bench: chainboard check took ${fmtMs(cliMs)} (exit ${cliCode})`);

  // ---------------------------------------------------------------------------------------------------
  machine.loadAverageAtEnd = loadavg().map((x) => Number(x.toFixed(2)));
  const changeNs = perChange.map((c) => c.namespaces);
  const overviewRatio = median(naive.overview) / overviewSeq.p50;
  const domainRatio = median(naive.domain) / domainSeq.p50;
  const passMiss = (ok: boolean): Row['result'] => (ok ? 'pass' : 'miss');
  const lat = (l: Latency) => `p50 ${fmtMs(l.p50)} / p95 ${fmtMs(l.p95)} / p99 ${fmtMs(l.p99)} (${l.rps.toFixed(0)} req/s)`;
  const rows: Row[] = [
    { figure: 'cluster', value: `${allNamespaces} namespaces, ${domains.length} domains, ${counts.Pod} Pods, ${counts.EndpointSlice} EndpointSlices, ${counts.Event} Events (${warningEvents} Warning); ${Object.values(counts).reduce((a, b) => a + b, 0)} objects`, target: '', result: '' },
    { figure: 'first full sync (first request -> /api/readyz 200)', value: fmtMs(firstSyncMs), target: '< 15 s', result: passMiss(firstSyncMs < 15_000) },
    { figure: 'server -> ready (process start incl.)', value: fmtMs(spawnToReadyMs), target: '', result: '' },
    {
      figure: 'server RSS after sync',
      value: `${fmtBytes(rssAfterSync)} (before sync ${fmtBytes(rssBase)}; after the load ${fmtBytes(srvEnd?.rss ?? NaN)}, peak ${fmtBytes(srvEnd?.hwm ?? NaN)}; V8 heap used ${fmtBytes(heapAfterSync?.used ?? NaN)} after sync, ${fmtBytes(heapEnd?.used ?? NaN)} of ${fmtBytes(heapEnd?.total ?? NaN)} at the end)`, target: '< 800 MB (full size)', result: passMiss(rssAfterSync < 800 * MB) },
    { figure: 'bytes per cached object, RSS delta', value: `${Math.round((rssAfterSync - rssBase) / cachedObjects)} B (${cachedObjects} cached objects)`, target: '', result: '' },
    { figure: 'bytes per cached object, in-process heap', value: `${Math.round((heapCaches - heap0) / cachedObjects)} B caches only; ${Math.round((heapAnalysed - heap0) / cachedObjects)} B with the analysis`, target: '', result: '' },
    { figure: 'app work per request, in-process (view + JSON.stringify)', value: `overview p50 ${fmtMs(handler.overview.p50)} / p95 ${fmtMs(handler.overview.p95)}; domain p50 ${fmtMs(handler.domain.p50)} / p95 ${fmtMs(handler.domain.p95)}`, target: '', result: '' },
    { figure: '/api/v1/overview, 1 connection', value: lat(overviewSeq), target: '', result: '' },
    { figure: `/api/v1/overview, ${CFG.pacedRate} req/s over ${CFG.connections} connections`, value: lat(overviewPaced), target: 'p95 < 50 ms', result: passMiss(overviewPaced.p95 < 50) },
    { figure: `/api/v1/overview, ${CFG.connections} connections, saturated`, value: lat(overviewLoad), target: 'p95 < 50 ms', result: passMiss(overviewLoad.p95 < 50) },
    { figure: '/api/v1/domains/{host}, 1 connection', value: lat(domainSeq), target: '', result: '' },
    { figure: `/api/v1/domains/{host}, ${CFG.pacedRate} req/s over ${CFG.connections} connections`, value: lat(domainPaced), target: 'p95 < 5 ms', result: passMiss(domainPaced.p95 < 5) },
    { figure: `/api/v1/domains/{host}, ${CFG.connections} connections, saturated`, value: lat(domainLoad), target: 'p95 < 5 ms', result: passMiss(domainLoad.p95 < 5) },
    { figure: `freshness (Pod + endpoint not ready -> API), ${fresh.length} changes`, value: `p50 ${fmtMs(median(fresh))} / p95 ${fmtMs(percentile(fresh, 95))} / max ${fmtMs(Math.max(...fresh))}`, target: 'p95 < 1 s', result: passMiss(percentile(fresh, 95) < 1000) },
    {
      figure: `one Pod change re-analyses (${perChange.length} changes, in-process)`,
      value: `${Math.min(...changeNs)}-${Math.max(...changeNs)} of ${allNamespaces} namespaces; ${fmtMs(median(perChange.map((c) => c.analyzeMs + c.combineMs)))} per change (full analysis ${fmtMs(initialAnalysis.analyzeMs + initialAnalysis.combineMs)})`,
      target: 'not the whole cluster',
      result: passMiss(Math.max(...changeNs) <= 2 && Math.max(...changeNs) < allNamespaces),
    },
    { figure: '`chainboard check --from DUMP --no-probe --json`', value: `${fmtMs(cliMs)} (dump ${fmtBytes(dump.bytes)}, peak RSS ${fmtBytes(cliPeakRss)}, exit ${cliCode})`, target: '', result: '' },
    { figure: 'overview payload, default page', value: `${fmtBytes(payload.overviewDefaultBytes)} (${payload.overviewDefaultRows} rows; gzip ${fmtBytes(payload.overviewDefaultGzipBytes)})`, target: 'bounded', result: passMiss(payload.overviewDefaultRows <= 100) },
    { figure: 'overview payload, full list (limit=1000)', value: `${fmtBytes(payload.overviewAllBytes)} (${payload.overviewAllRows} rows; gzip ${fmtBytes(payload.overviewAllGzipBytes)})`, target: '', result: '' },
    { figure: 'naive overview (list all kinds, analyse)', value: `median ${fmtMs(median(naive.overview))}; ${overviewRatio.toFixed(0)}x the 1-connection p50`, target: '>= 50x', result: passMiss(overviewRatio >= 50) },
    { figure: 'naive domain (list all kinds, analyse)', value: `median ${fmtMs(median(naive.domain))}; ${domainRatio.toFixed(0)}x the 1-connection p50`, target: '>= 50x', result: passMiss(domainRatio >= 50) },
    { figure: 'naive domain, smarter script (Ingresses, then one namespace)', value: `median ${fmtMs(median(naive.domainOneNamespace))}; ${(median(naive.domainOneNamespace) / domainSeq.p50).toFixed(0)}x`, target: '', result: '' },
  ];

  const misses = rows.filter((r) => r.result === 'miss');
  const lines = [
    `## Chainboard cluster benchmark (${MODE})`,
    '',
    `Machine: ${machine.cores} cores (${machine.model}), ${machine.memory} RAM, node ${machine.node}; load average ${machine.loadAverageAtStart.join(' ')} at start, ${machine.loadAverageAtEnd.join(' ')} at the end (the cores are shared).`,
    `Server: \`bin/chainboard-server.mjs\` (${build}), pid ${srv.pid} \`${srv.cmd.slice(0, 80)}\`, on 127.0.0.1, NODE_OPTIONS=\`${SERVER_NODE_OPTIONS.value}\` (from ${SERVER_NODE_OPTIONS.from}), CHAINBOARD_PROBE=off: TLS and DNS probes are not the subject here.`,
    `Load: autocannon per endpoint: ${CFG.seqSeconds} s at 1 connection, ${CFG.pacedSeconds} s at ${CFG.pacedRate} req/s over ${CFG.connections} connections, ${CFG.loadSeconds} s with ${CFG.connections} connections as fast as the server answers (saturated: latency is then mostly the queue of 10 requests); the latency targets are checked at both; domains are random hosts. Naive: ${CFG.naiveRuns} runs per request type, lists in pages of 500 from the same demo API server.`,
    ...(SMALL ? ['Targets are for the full size; small mode reports them for information only.'] : []),
    '',
    '| figure | value | target | result |',
    '|---|---|---|---|',
    ...rows.map((r) => `| ${r.figure} | ${r.value} | ${r.target} | ${r.result} |`),
    '',
    `Total bench time ${fmtMs(performance.now() - started)}.${errors.length ? ` ERRORS: ${errors.join('; ')}` : ''}`,
  ];
  console.log(lines.join('\n'));

  const results = {
    mode: MODE,
    date: new Date().toISOString(),
    machine,
    build,
    cluster: { namespaces: allNamespaces, domains: domains.length, objects: counts, warningEvents, brokenFraction: BROKEN_FRACTION, seed: SEED },
    config: CFG,
    timings: { generateMs, listeningMs, firstSyncMs, spawnToReadyMs, inProcessSettledMs: inProcSettledMs, inProcessReadyMs: inProcReadyMs },
    memory: {
      serverPid: srv.pid,
      serverCmd: srv.cmd,
      rssBeforeSync: rssBase,
      rssAfterSync,
      rssEnd: srvEnd?.rss,
      rssPeak: srvEnd?.hwm,
      heapAfterSync,
      heapEnd,
      nodeOptions: SERVER_NODE_OPTIONS,
      cachedObjects,
      cachedByKind: cached,
      bytesPerObjectRss: (rssAfterSync - rssBase) / cachedObjects,
      heapCachesBytes: heapCaches - heap0,
      heapWithAnalysisBytes: heapAnalysed - heap0,
      bytesPerObjectHeap: (heapCaches - heap0) / cachedObjects,
      bytesPerObjectHeapWithAnalysis: (heapAnalysed - heap0) / cachedObjects,
    },
    latency: { overviewSeq, overviewPaced, overviewLoad, domainSeq, domainPaced, domainLoad, inProcessHandler: handler },
    freshness: { changes: fresh.length, p50: median(fresh), p95: percentile(fresh, 95), max: Math.max(...fresh), samples: fresh },
    incremental: { initialAnalysis, perChange, namespaces: allNamespaces },
    cli: { ms: cliMs, exitCode: cliCode, dumpBytes: dump.bytes, peakRss: cliPeakRss },
    payload,
    naive: { ...naive, overviewRatio, domainRatio, overviewMedian: median(naive.overview), domainMedian: median(naive.domain) },
    rows,
    errors,
  };
  // `--results DIR`: where the JSON goes (npm test sends the smoke run's to test-results/, so a test run
  // does not rewrite the committed figures in bench/results/).
  const ri = process.argv.indexOf('--results');
  const dir = ri >= 0 && process.argv[ri + 1] ? resolve(process.argv[ri + 1]!) : join(ROOT, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const out = join(dir, `${MODE}.json`);
  writeFileSync(out, JSON.stringify(results, null, 2) + '\n');
  console.error(`bench: results in ${out.startsWith(ROOT) ? out.slice(ROOT.length + 1) : out}`);

  if (errors.length) return 1;
  if (STRICT && misses.length) return 2;
  return 0;
}

main()
  .then(async (code) => {
    await cleanupAll();
    process.exit(code);
  })
  .catch(async (e: unknown) => {
    console.error(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    await cleanupAll();
    process.exit(1);
  });
