/**
 * Overload benchmark (`npm run bench:overload`): the production server (bin/chainboard-server.mjs, started
 * by `scripts/demo.ts --prod` over the demo cluster, probes and all) under more page requests than it can
 * render, and whether it keeps answering the kubelet's probes.
 *
 *   node --conditions=react-server --import tsx bench/overload.ts [--seconds 30] [--connections 200]
 *     [--calm-connections 20] [--calm-seconds 20] [--no-build] [--strict]
 *
 * 1. calm: `--calm-connections` clients load `/` (the overview page) back to back for `--calm-seconds`;
 *    its p95 is the figure.
 * 2. overload: `--connections` clients load `/` back to back for `--seconds`, while a kubelet stand-in
 *    asks `/api/healthz` and `/api/readyz` every 100 ms each, on a new connection, with a 2 s timeout.
 *
 * The page clients run in a child process of their own (this file with `--load`), so their work does not
 * delay the probe timings taken here. Page requests time out after 30 s, so a long wait is measured, not
 * cut short. The render queue's settings are the server's defaults unless CHAINBOARD_RENDER_* are set in
 * this process's environment (the demo passes its environment on).
 *
 * Prints the figures against their targets. Exits non-zero on errors (no build, a server that does not
 * start); a missed target only with `--strict`. Everything listens on 127.0.0.1 and is stopped at the end,
 * on an error and on Ctrl-C. Needs a production build; it runs `next build` when there is none, unless
 * `--no-build`. Other builds in the same checkout: run it under `flock /tmp/chainboard-next.lock`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { Agent, request } from 'node:http';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { freePort, waitFor } from '../lib/testing/net';

const ROOT = resolve(__dirname, '..');
const PAGE_TIMEOUT_MS = 30_000;
const PROBE_TIMEOUT_MS = 2_000;
const PROBE_EVERY_MS = 100;

const TARGETS = {
  healthP99Ms: 50,
  healthFailures: 0,
  calmP95Ms: 300,
  longestWaitS: 10,
};

/** Latency summary of one kind of answer, in ms. */
interface Summary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** What the page clients of one phase saw. */
interface LoadResult {
  seconds: number;
  statuses: Record<string, number>;
  /** The longest wait for a turn the server reported (its `Server-Timing: queue;dur=`), in ms. */
  longestQueueWait: number;
  ok: Summary;
  all: Summary;
  errors: number;
  timeouts: number;
}

function summarize(values: number[]): Summary {
  const s = [...values].sort((a, b) => a - b);
  const at = (p: number) => (s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! : NaN);
  return { count: s.length, p50: at(50), p95: at(95), p99: at(99), max: s.length ? s[s.length - 1]! : NaN };
}

const round = (ms: number) => (Number.isFinite(ms) ? (ms >= 100 ? Math.round(ms) : Math.round(ms * 10) / 10) : NaN);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * One GET: status (0 on error, -1 on timeout), milliseconds to the end of the body, and the wait for a
 * turn the server reports in `Server-Timing` (0 when it says nothing).
 */
function get(url: URL, agent: Agent | false, timeoutMs: number): Promise<{ status: number; ms: number; queuedMs: number }> {
  const started = performance.now();
  return new Promise((done) => {
    let settled = false;
    let queuedMs = 0;
    const finish = (status: number) => {
      if (settled) return;
      settled = true;
      done({ status, ms: performance.now() - started, queuedMs });
    };
    const req = request(url, { agent }, (res) => {
      queuedMs = Number(/\bqueue;dur=(\d+)/.exec(String(res.headers['server-timing']))?.[1] ?? 0);
      res.on('data', () => {});
      res.on('end', () => finish(res.statusCode ?? 0));
      res.on('error', () => finish(0));
    });
    req.setTimeout(timeoutMs, () => {
      finish(-1);
      req.destroy();
    });
    req.on('error', () => finish(0));
    req.end();
  });
}

/** The `--load` child: `connections` kept-alive clients asking `url` back to back for `seconds`. */
async function runLoad(url: URL, connections: number, seconds: number): Promise<LoadResult> {
  const end = performance.now() + seconds * 1000;
  const statuses: Record<string, number> = {};
  const ok: number[] = [];
  const all: number[] = [];
  let errors = 0;
  let timeouts = 0;
  let longestQueueWait = 0;
  const client = async () => {
    // One connection per client, as a browser tab or autocannon holds it.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    while (performance.now() < end) {
      const { status, ms, queuedMs } = await get(url, agent, PAGE_TIMEOUT_MS);
      longestQueueWait = Math.max(longestQueueWait, queuedMs);
      if (status === -1) timeouts++;
      else if (status === 0) errors++;
      else {
        statuses[status] = (statuses[status] ?? 0) + 1;
        all.push(ms);
        if (status === 200) ok.push(ms);
      }
    }
    agent.destroy();
  };
  const started = performance.now();
  // Tells the parent the load begins now (after this process's own start-up), so its probes start with it.
  process.stdout.write('started\n');
  await Promise.all(Array.from({ length: connections }, client));
  return { seconds: (performance.now() - started) / 1000, statuses, longestQueueWait, ok: summarize(ok), all: summarize(all), errors, timeouts };
}

/**
 * Runs the page clients in a child process; `started` resolves when their load begins (the child's own
 * start-up, a second of compiling on a busy machine, is not part of the load), `result` with what they saw.
 */
function load(base: string, connections: number, seconds: number): { started: Promise<void>; result: Promise<LoadResult> } {
  const args = ['--conditions=react-server', '--import', 'tsx', __filename, '--load', `${base}/`, '--connections', String(connections), '--seconds', String(seconds)];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  let onStart = () => {};
  const started = new Promise<void>((r) => (onStart = r));
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString();
    if (out.startsWith('started\n')) onStart();
  });
  const result = new Promise<LoadResult>((resolvePromise, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => {
      onStart();
      if (code === 0) resolvePromise(JSON.parse(out.slice('started\n'.length)) as LoadResult);
      else reject(new Error(`load child exited with ${code}`));
    });
  });
  return { started, result };
}

/** The kubelet stand-in: `path` every 100 ms on a new connection, until `stop()`. */
function prober(base: string, path: string) {
  const url = new URL(path, base);
  const times: number[] = [];
  // When each failed probe was sent, in seconds since the first: where in the run they cluster.
  const failedAt: number[] = [];
  const first = performance.now();
  let running = true;
  const inFlight = new Set<Promise<void>>();
  const loop = (async () => {
    while (running) {
      const sent = (performance.now() - first) / 1000;
      const p = get(url, false, PROBE_TIMEOUT_MS).then(({ status, ms }) => {
        if (status === 200) times.push(ms);
        else failedAt.push(sent);
      });
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
      await sleep(PROBE_EVERY_MS);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      await Promise.all(inFlight);
      return { ...summarize(times), failures: failedAt.length, failedAt };
    },
  };
}

/**
 * The server's own event-loop delay since the last scrape (prom-client's default metrics; each scrape
 * starts a new window), in ms: what of a probe's time the server's loop accounts for, apart from the
 * machine's other processes.
 */
async function eventLoopDelay(base: string): Promise<{ p99: number; max: number }> {
  const text = await (await fetch(`${base}/api/metrics`)).text();
  const ms = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]) * 1000;
  return { p99: ms('nodejs_eventloop_lag_p99_seconds'), max: ms('nodejs_eventloop_lag_max_seconds') };
}

/** `scripts/demo.ts --prod`: the demo cluster and the production server, in a process group of their own. */
async function startDemo(): Promise<{ base: string; stop: () => Promise<void> }> {
  const [port, apiPort] = [await freePort(), await freePort()];
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', '--prod', '--no-timeline', '--port', String(port), '--api-port', String(apiPort)], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const kill = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // Already gone.
    }
  };
  process.once('exit', () => kill('SIGKILL'));
  const stop = async () => {
    kill('SIGTERM');
    await Promise.race([exited, sleep(5_000)]);
    kill('SIGKILL');
  };
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitFor('the demo server to be ready', async () => (await fetch(`${base}/api/readyz`, { signal: AbortSignal.timeout(2000) })).ok, {
      timeoutMs: 120_000,
      intervalMs: 250,
      abort: () => (child.exitCode !== null ? `the demo exited (${child.exitCode})` : undefined),
    });
  } catch (e) {
    await stop();
    throw e;
  }
  return { base, stop };
}

function ensureBuild(build: boolean): void {
  if (existsSync(join(ROOT, '.next', 'BUILD_ID'))) return;
  if (!build) throw new Error('no production build in .next (run `npm run build`, or leave out --no-build)');
  console.log('bench: no production build: running next build');
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/next/dist/bin/next'), 'build'], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
  if (r.status !== 0) throw new Error('next build failed');
}

interface Row {
  figure: string;
  measured: string;
  target: string;
  met?: boolean;
}

function printTable(rows: Row[]): void {
  console.log('\n| figure | measured | target | |');
  console.log('|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.figure} | ${r.measured} | ${r.target} | ${r.met === undefined ? '' : r.met ? 'met' : 'MISSED'} |`);
}

/** `[0.1, 0.2, 0.3, 5.0]` -> `0.1-0.3, 5.0`: runs of probes 100 ms apart as one span. */
function spans(times: number[]): string {
  const at = [...times].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < at.length; ) {
    let j = i;
    while (j + 1 < at.length && at[j + 1]! - at[j]! < 0.3) j++;
    out.push(i === j ? at[i]!.toFixed(1) : `${at[i]!.toFixed(1)}-${at[j]!.toFixed(1)}`);
    i = j + 1;
  }
  return out.join(', ');
}

const statusText = (s: Record<string, number>) =>
  Object.entries(s)
    .map(([k, v]) => `${v} x ${k}`)
    .join(', ');

async function main(opts: { seconds: number; connections: number; calmConnections: number; calmSeconds: number; build: boolean; strict: boolean }): Promise<number> {
  ensureBuild(opts.build);
  const render = ['CHAINBOARD_RENDER_CONCURRENCY', 'CHAINBOARD_RENDER_QUEUE', 'CHAINBOARD_RENDER_QUEUE_WAIT_MS'].map((k) => `${k}=${process.env[k] ?? '(default)'}`);
  console.log(`bench: ${render.join(' ')}`);
  // Other processes on the machine share its cores with the server: the figures are read against this.
  const machine = () => `${availableParallelism()} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`;
  console.log(`bench: machine: ${machine()}`);
  const demo = await startDemo();
  try {
    // Warm-up: the first renders compile and cache what later ones reuse.
    for (let i = 0; i < 20; i++) await fetch(`${demo.base}/`).then((r) => r.arrayBuffer());

    console.log(`bench: calm: ${opts.calmConnections} connections on / for ${opts.calmSeconds} s`);
    const calm = await load(demo.base, opts.calmConnections, opts.calmSeconds).result;

    console.log(`bench: overload: ${opts.connections} connections on / for ${opts.seconds} s, probes every ${PROBE_EVERY_MS} ms`);
    await eventLoopDelay(demo.base);
    const overload = load(demo.base, opts.connections, opts.seconds);
    await overload.started;
    const health = prober(demo.base, '/api/healthz');
    const ready = prober(demo.base, '/api/readyz');
    const heavy = await overload.result;
    const [h, r] = [await health.stop(), await ready.stop()];
    const loop = await eventLoopDelay(demo.base);

    const rows: Row[] = [
      { figure: `overview page p95, ${opts.calmConnections} connections`, measured: `${round(calm.ok.p95)} ms (p50 ${round(calm.ok.p50)}, p99 ${round(calm.ok.p99)}; ${round(calm.ok.count / calm.seconds)} pages/s)`, target: `< ${TARGETS.calmP95Ms} ms`, met: calm.ok.p95 < TARGETS.calmP95Ms },
      { figure: `calm: answers`, measured: `${statusText(calm.statuses)}; ${calm.errors} errors, ${calm.timeouts} timeouts`, target: 'all 200', met: Object.keys(calm.statuses).every((k) => k === '200') && calm.errors + calm.timeouts === 0 },
      { figure: `/api/healthz p99 under ${opts.connections} page connections`, measured: `${round(h.p99)} ms (p50 ${round(h.p50)}, max ${round(h.max)}; ${h.count} probes)`, target: `< ${TARGETS.healthP99Ms} ms`, met: h.p99 < TARGETS.healthP99Ms },
      {
        figure: `/api/healthz failures (no 200 within ${PROBE_TIMEOUT_MS / 1000} s)`,
        measured: h.failures ? `${h.failures}, sent ${spans(h.failedAt)} s into the overload` : '0',
        target: String(TARGETS.healthFailures),
        met: h.failures <= TARGETS.healthFailures,
      },
      { figure: `/api/readyz p99 / failures`, measured: `${round(r.p99)} ms / ${r.failures}`, target: '' },
      { figure: `overload: the server's event-loop delay p99 / max`, measured: `${round(loop.p99)} ms / ${round(loop.max)} ms`, target: '' },
      { figure: `overload: answers to page requests`, measured: `${statusText(heavy.statuses)}; ${heavy.errors} errors, ${heavy.timeouts} timeouts`, target: 'every request answered: 200 or 503', met: heavy.errors + heavy.timeouts === 0 && Object.keys(heavy.statuses).every((k) => k === '200' || k === '503') },
      { figure: `overload: pages rendered`, measured: `${round(heavy.ok.count / heavy.seconds)} pages/s; p50 ${round(heavy.ok.p50)} ms, p99 ${round(heavy.ok.p99)} ms`, target: '' },
      {
        figure: `overload: longest wait for a turn (the server's Server-Timing)`,
        measured: `${(heavy.longestQueueWait / 1000).toFixed(2)} s`,
        target: `no wait past ${TARGETS.longestWaitS} s`,
        // The queue's timer fires on the event loop: as late as the loop's longest delay.
        met: heavy.longestQueueWait <= TARGETS.longestWaitS * 1000 + loop.max,
      },
      { figure: `overload: longest time to any answer, as the clients saw it`, measured: `${(heavy.all.max / 1000).toFixed(2)} s`, target: '' },
    ];
    printTable(rows);
    console.log(`\nmachine at the end: ${machine()}`);
    const missed = rows.filter((x) => x.met === false);
    console.log(missed.length ? `\n${missed.length} target(s) missed` : '\nevery target met');
    return opts.strict && missed.length ? 1 : 0;
  } finally {
    await demo.stop();
  }
}

const { values } = parseArgs({
  options: {
    load: { type: 'string' },
    seconds: { type: 'string', default: '30' },
    connections: { type: 'string', default: '200' },
    'calm-connections': { type: 'string', default: '20' },
    'calm-seconds': { type: 'string', default: '20' },
    'no-build': { type: 'boolean', default: false },
    strict: { type: 'boolean', default: false },
  },
});
const int = (name: string, v: string | undefined) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 10_000) throw new Error(`--${name} must be an integer from 1 to 10000`);
  return n;
};

if (values.load) {
  runLoad(new URL(values.load), int('connections', values.connections), int('seconds', values.seconds)).then((r) => process.stdout.write(JSON.stringify(r)));
} else {
  main({
    seconds: int('seconds', values.seconds),
    connections: int('connections', values.connections),
    calmConnections: int('calm-connections', values['calm-connections']),
    calmSeconds: int('calm-seconds', values['calm-seconds']),
    build: !values['no-build'],
    strict: values.strict,
  }).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(`bench: ${e instanceof Error ? e.message : String(e)}`);
      process.exit(1);
    },
  );
}
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => process.exit(130));
