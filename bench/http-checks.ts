/**
 * The cost of the HTTP checks at cluster scale: one probe round of N domains (default 5,000) through
 * the probe manager, as the web app runs it, against a local HTTPS server on 127.0.0.1 standing in for
 * Traefik. Two rounds: the TLS handshakes alone (what probing cost before HTTP checks), then TLS and one
 * HTTP check per domain; the difference is what the HTTP checks add. Prints the round times, the
 * per-check latency (p50/p95/max) and the peak open connections, then exits.
 *
 *   node --conditions=react-server --import tsx bench/http-checks.ts [--domains 5000] [--concurrency 8]
 *
 * The server runs in this process, so its CPU counts against the round: on a real cluster the
 * controller's work is elsewhere and the figures are an upper bound of Chainboard's share.
 */
import { createServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { parseArgs } from 'node:util';
import { ProbeManager } from '../lib/probe/manager';
import { loopbackOnly, type ProbeTarget } from '../lib/probe/targets';
import { DEFAULT_PROBE_SETTINGS } from '../lib/probe/settings';
import { createCa, issueCertificate } from '../lib/testing/pki';

const { values } = parseArgs({ options: { domains: { type: 'string', default: '5000' }, concurrency: { type: 'string', default: String(DEFAULT_PROBE_SETTINGS.concurrency) } } });
const DOMAINS = Math.max(1, Number(values.domains));
const CONCURRENCY = Math.max(1, Number(values.concurrency));

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main() {
  const ca = await createCa({ name: 'CN=bench root' });
  const leaf = await issueCertificate(ca, { dns: ['*.bench.test'] });
  let open = 0;
  let maxOpen = 0;
  const server = createServer({ cert: leaf.cert, key: leaf.key }, (req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(`ok ${req.headers.host}\n`);
  });
  server.on('connection', (s: Socket) => {
    maxOpen = Math.max(maxOpen, ++open);
    s.on('close', () => open--);
  });
  server.on('tlsClientError', () => {});
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;

  const targets: ProbeTarget[] = Array.from({ length: DOMAINS }, (_, i) => {
    const host = `d${i}.bench.test`;
    return { host, address: '127.0.0.1', port, http: [{ path: '/', route: { namespace: 'hst-bench', ingress: `d${i}`, path: '/' } }] };
  });

  async function round(http: boolean) {
    maxOpen = open;
    const manager = new ProbeManager({ dns: false, http, concurrency: CONCURRENCY, refreshIntervalMs: 0, allowAddress: loopbackOnly, timeoutMs: 10_000, ca: ca.certPem });
    const started = performance.now();
    manager.update(targets);
    await manager.idle();
    const ms = performance.now() - started;
    const results = manager.results();
    manager.stop();
    const checks = Object.values(results).flatMap((r) => r.http ?? []);
    const latencies = checks.map((c) => c.latencyMs).sort((a, b) => a - b);
    const failures = checks.filter((c) => c.status !== 'ok' || c.statusCode !== 200).length + Object.values(results).filter((r) => r.tls?.status !== 'ok').length;
    return { ms, checks: checks.length, latencies, failures, maxOpen };
  }

  // A short warm-up so the first round does not pay for JIT and the key exchange code paths alone.
  await (async () => {
    const m = new ProbeManager({ dns: false, concurrency: CONCURRENCY, refreshIntervalMs: 0, timeoutMs: 10_000 });
    m.update(targets.slice(0, 50));
    await m.idle();
    m.stop();
  })();

  const tls = await round(false);
  const both = await round(true);
  server.close();
  server.closeAllConnections();

  const f = (n: number) => `${Math.round(n)} ms`;
  console.log(`HTTP checks at ${DOMAINS} domains, concurrency ${CONCURRENCY}, loopback HTTPS server (in-process)`);
  console.log(`  round, TLS handshakes only:        ${f(tls.ms)}  (${tls.failures} failures)`);
  console.log(`  round, TLS + one HTTP check each:  ${f(both.ms)}  (${both.failures} failures, ${both.checks} checks)`);
  console.log(`  HTTP checks add:                   ${f(both.ms - tls.ms)}  (${(((both.ms - tls.ms) / DOMAINS) * CONCURRENCY).toFixed(2)} ms of a probe slot per domain)`);
  console.log(`  per HTTP check: p50 ${f(pct(both.latencies, 50))}, p95 ${f(pct(both.latencies, 95))}, max ${f(both.latencies.at(-1) ?? NaN)}`);
  console.log(`  peak open connections: ${both.maxOpen} (bound: 2 per host in flight x ${CONCURRENCY})`);
  console.log(`  probe TTL ${DEFAULT_PROBE_SETTINGS.ttlMs / 1000} s: a full round ${both.ms < DEFAULT_PROBE_SETTINGS.ttlMs ? 'fits' : 'does NOT fit'} within it`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
