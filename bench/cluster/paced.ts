/**
 * The open-loop sender of the latency phases, run as a child process by latency.ts so that the bench
 * process's own pauses (it holds the demo API servers) do not count as server latency:
 *
 *   node --import tsx bench/cluster/paced.ts CONFIG.json
 *
 * CONFIG: { base, paths, rate, seconds, connections, out }; the Latency figures are written to `out`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Agent, get as httpGet } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Latency } from './latency';
import { percentile, sleep } from './stats';

/**
 * Open-loop load: requests sent at a fixed rate (one every 1000/rate ms, whatever the answers do) over at
 * most `connections` keep-alive connections; latency from the moment a request is sent, including any wait
 * for a free connection, so a queue in front of a slow server counts. (autocannon's rate limit sends each
 * second's budget in a burst, which measures the burst, not the rate.)
 */
export async function paced(base: string, path: () => string, rate: number, seconds: number, connections: number): Promise<Latency> {
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


if (require.main === module) {
  const config = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as { base: string; paths: string[]; rate: number; seconds: number; connections: number; out: string };
  let i = 0;
  paced(config.base, () => config.paths[i++ % config.paths.length]!, config.rate, config.seconds, config.connections)
    .then((l) => writeFileSync(config.out, JSON.stringify(l)))
    .catch((e: unknown) => {
      console.error(`bench: paced sender: ${(e as Error).message}`);
      process.exit(1);
    });
}
