/**
 * What the battery attacks: its own demo cluster and production server, all on 127.0.0.1 and ports the
 * kernel picks. The demo Kubernetes API server (demo/server.ts) holds samples/cluster and demo/extra with
 * no timeline, so every check sees the same objects; a TLS endpoint stands in for Traefik and a DNS server
 * answers for the cluster's hosts, each behind a recording relay (relays.ts); the production server
 * (bin/chainboard-server.mjs, started by e2e/support/app-server.ts) runs with sign-in, sharing and Secret
 * reading on, probing through the relays only.
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startDemoServer, type DemoServer } from '../../demo/server';
import { startDnsServer, type DnsRecordSet, type DnsServer } from '../../demo/dns-server';
import { startTlsEndpoint, type TlsEndpoint } from '../../demo/tls-endpoint';
import type { AppServer } from '../../e2e/support/app-server';
import { waitFor } from '../../lib/testing/net';
import { startDnsRelay, startTlsRelay, type DnsRelay, type TlsRelay } from './relays';

/** The project's root. */

/** The stall threshold of the battery's server (CHAINBOARD_STALL_AFTER_SECONDS). */
export const BATTERY_STALL_AFTER_SECONDS = 25;
export const ROOT = resolve(__dirname, '..', '..');

/** The running cluster and server, and what the checks need to know about them. */
export interface BatteryEnv {
  /** `http://127.0.0.1:PORT` of the production server. */
  url: string;
  port: number;
  /** CHAINBOARD_AUTH_TOKEN of the server. */
  authToken: string;
  /** CHAINBOARD_SHARE_SECRET of the server. */
  shareSecret: string;
  /** The demo API server, in this process. */
  demo: DemoServer;
  /** Hosts of the cluster's Ingress rules (lower-case, no wildcards), sorted. */
  hosts: string[];
  /** Client environments (`hst-*` namespaces), sorted. */
  namespaces: string[];
  dnsRelay: DnsRelay;
  tlsRelay: TlsRelay;
  /** Ports on loopback the server may connect to: the demo API server and the two relays. */
  clusterPorts: ReadonlySet<number>;
  /** `{ authorization: 'Bearer …' }` */
  auth: Record<string, string>;
  /** The server's output so far, for failure messages. */
  serverOutput(): string;
  close(): Promise<void>;
}

interface IngressList {
  items: { spec?: { rules?: { host?: string }[] } }[];
}

/** What the production build is made of. */
const BUILD_INPUTS = ['app', 'components', 'lib', 'proxy.ts', 'instrumentation.ts', 'next.config.js', 'package.json'];

/** Files of the app changed after the build was made (tracked or new), from git's view of the tree. */
function newerThanBuild(builtAt: number): string[] {
  try {
    const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '--', ...BUILD_INPUTS], { cwd: ROOT, encoding: 'utf8' });
    return files.split('\n').filter((f) => f && existsSync(join(ROOT, f)) && statSync(join(ROOT, f)).mtimeMs > builtAt);
  } catch {
    return [];
  }
}

/**
 * Builds the app with `npm run build` (telemetry off) when there is no build, or always with `force`. A
 * build older than the sources is used as it is, with a warning: another build in this checkout may be
 * under way, and `--build` is the way to ask for a fresh one.
 */
export async function ensureBuild(force: boolean): Promise<void> {
  const buildId = join(ROOT, '.next', 'BUILD_ID');
  if (!force && existsSync(buildId)) {
    const stale = newerThanBuild(statSync(buildId).mtimeMs);
    if (stale.length) process.stderr.write(`battery: warning: ${stale.length} source files are newer than .next (${stale.slice(0, 3).join(', ')}...): \`--build\` rebuilds\n`);
    return;
  }
  process.stderr.write('battery: building the app (npm run build)...\n');
  // Build output goes to stderr: stdout carries only the check lines.
  const child = spawn('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 2, 2], env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
  const code = await new Promise<number>((r) => child.on('exit', (c) => r(c ?? 1)));
  if (code !== 0) throw new Error(`npm run build exited with ${code}`);
}

async function clusterHosts(demo: DemoServer): Promise<string[]> {
  const res = await fetch(`${demo.url}/apis/networking.k8s.io/v1/ingresses`, { signal: AbortSignal.timeout(5000) });
  const list = (await res.json()) as IngressList;
  const hosts = new Set<string>();
  for (const ing of list.items) for (const r of ing.spec?.rules ?? []) if (r.host && !r.host.startsWith('*')) hosts.add(r.host.toLowerCase());
  return [...hosts].sort();
}

/** Starts everything; on failure stops what had started. */
export async function startEnv(): Promise<BatteryEnv> {
  const work = mkdtempSync(join(tmpdir(), 'chainboard-battery-'));
  const stops: (() => Promise<void>)[] = [async () => rmSync(work, { recursive: true, force: true })];
  const close = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => {});
  };
  try {
    const demo = await startDemoServer({ dumpPath: [join(ROOT, 'samples', 'cluster'), join(ROOT, 'demo', 'extra')], timeline: false });
    stops.push(() => demo.close());
    const hosts = await clusterHosts(demo);
    const records: Record<string, DnsRecordSet> = Object.fromEntries(hosts.map((h) => [h, { A: ['127.0.0.1'] }]));
    const dns: DnsServer = await startDnsServer({ records });
    stops.push(() => dns.stop());
    const tls: TlsEndpoint = await startTlsEndpoint({ hosts: Object.fromEntries(hosts.map((h) => [h, 'valid' as const])) });
    stops.push(() => tls.stop());
    const dnsRelay = await startDnsRelay(dns.server);
    stops.push(() => dnsRelay.stop());
    const tlsRelay = await startTlsRelay(tls.port);
    stops.push(() => tlsRelay.stop());
    const caFile = join(work, 'demo-ca.pem');
    writeFileSync(caFile, tls.caPem);

    // e2e/support/demo.ts reads the demo's address when it is loaded.
    process.env.E2E_DEMO_API_URL = demo.url;
    const { DemoCluster } = await import('../../e2e/support/demo');
    const { startAppServer } = await import('../../e2e/support/app-server');
    const admin = await DemoCluster.connect();
    stops.push(() => admin.dispose());

    const authToken = randomBytes(24).toString('base64url');
    const shareSecret = randomBytes(32).toString('base64url');
    const server: AppServer = await startAppServer({
      demo: admin,
      token: 'battery-dashboard',
      kubeconfigPath: join(work, 'kubeconfig'),
      env: {
        CHAINBOARD_AUTH_TOKEN: authToken,
        CHAINBOARD_SHARE_SECRET: shareSecret,
        CHAINBOARD_READ_SECRETS: '1',
        CHAINBOARD_PROBE: 'on',
        CHAINBOARD_PROBE_ADDRESS: '127.0.0.1',
        CHAINBOARD_PROBE_PORT: String(tlsRelay.port),
        CHAINBOARD_PROBE_CA_FILE: caFile,
        CHAINBOARD_DNS_SERVERS: dnsRelay.server,
        // A second guard: whatever a request says, the probes dial nothing outside 127.0.0.0/8.
        CHAINBOARD_PROBE_LOOPBACK_ONLY: '1',
        // The demo sends bookmarks every 15 s: 25 s of silence is a stall here, so a frozen watch shows
        // within the check's bound rather than the production default of three minutes.
        CHAINBOARD_STALL_AFTER_SECONDS: String(BATTERY_STALL_AFTER_SECONDS),
        // The battery's own history store, removed with its work folder.
        CHAINBOARD_DATA_DIR: join(work, 'history'),
      },
    });
    stops.push(() => server.stop());
    await waitFor('the server to sync (/api/readyz 200)', async () => (await fetch(`${server.url}/api/readyz`, { signal: AbortSignal.timeout(2000) })).status === 200, {
      timeoutMs: 60_000,
      intervalMs: 250,
    });
    const overview = (await (await fetch(`${server.url}/api/v1/overview?limit=1000`, { headers: { authorization: `Bearer ${authToken}` } })).json()) as { namespaces?: { name: string }[] };
    const namespaces = (overview.namespaces ?? []).map((n) => n.name).sort();
    return {
      url: server.url,
      port: Number(new URL(server.url).port),
      authToken,
      shareSecret,
      demo,
      hosts,
      namespaces,
      dnsRelay,
      tlsRelay,
      clusterPorts: new Set([demo.port, Number(dnsRelay.server.split(':')[1]), tlsRelay.port]),
      auth: { authorization: `Bearer ${authToken}` },
      serverOutput: () => server.output(),
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}
