/**
 * `npm run demo`: the built-in demo cluster and the dashboard, in one command.
 *
 * Starts, all on 127.0.0.1:
 * - the demo Kubernetes API server (demo/server.ts) with the sample client environments
 *   (samples/cluster) plus the demo-only hst-certlab environment, timestamps moved to now, and the
 *   timeline that changes objects every few seconds;
 * - a TLS endpoint standing in for Traefik's websecure entrypoint, serving generated certificates per
 *   host (valid for most, one per broken certificate state in hst-certlab) and answering HTTP as
 *   Traefik would for the cluster's current objects;
 * - a DNS server answering for the demo hosts (one NXDOMAIN, one pointing elsewhere);
 * - a Traefik API (demo/traefik-api.ts) computed from the demo cluster's objects as they are at each
 *   request, the way Traefik names and statuses its routers (hst-edgelab shows its faults);
 * - the dashboard, configured exactly as for a real cluster: KUBECONFIG and the probe settings, which it
 *   also prints, so another Chainboard (`npm start`, `npx chainboard check`) can be pointed at the cluster.
 *
 * The dashboard is the production build served by the production server (bin/chainboard-server.mjs, as
 * `npm start` and the image run it): what a newcomer sees is what is deployed, without Next's development
 * overlay. It is built on the first run and rebuilt only when its sources changed (scripts/demo-build.ts
 * says how that is decided).
 *
 * Options: --port N (or PORT, default 3000), --api-port N (or DEMO_API_PORT, default: a free port),
 * --dev (`next dev` instead, for contributors changing the app: hot reload against the demo cluster),
 * --prod (the default; kept for scripts that name it), --no-timeline, --no-app (only the cluster side,
 * e.g. to run `chainboard check` or another dashboard yourself).
 *
 * DEMO_CLUSTERS=2 (or --clusters 2): two clusters, each its own demo API server and kubeconfig context,
 * watched as `eu` and `us` (CHAINBOARD_CONTEXTS). `us` holds hst-initech (which `eu` then lacks) and a
 * copy of hst-my-client, the client being moved there (app.my-client.junovy.com, served by both; public
 * DNS still points at `eu`'s address); its API server listens on --api-port-2 (or DEMO_API_PORT_2,
 * default: a free port) and has no timeline. One TLS endpoint and DNS server answer for both.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadRawObjects } from '../demo/load';
import { startDemoServer } from '../demo/server';
import { startTlsEndpoint, type CertKind } from '../demo/tls-endpoint';
import { objectsOf, startTraefikApi, traefikApiData } from '../demo/traefik-api';
import { startDnsServer, type DnsRecordSet } from '../demo/dns-server';
import type { KubeObject } from '../demo/resources';
import { parseMatch } from '../lib/chain/traefik-match';
import { ensureProductionBuild } from './demo-build';
import { demoClusterEnv, pointAnotherChainboard } from './demo-env';

const ROOT = resolve(__dirname, '..');
/** The moment samples/cluster was dumped (samples/cluster/README.md): its timestamps are moved so this is now. */
const SAMPLE_REFERENCE = Date.parse('2026-11-26T09:30:00Z');

/** Certificate states of the demo-only hosts; every other host gets a valid certificate. */
const CERTLAB: Record<string, CertKind> = {
  'expiring.certlab.junovy.com': 'expiring',
  'expired.certlab.junovy.com': 'expired',
  'wronghost.certlab.junovy.com': 'wrong-host',
  'acme-failed.certlab.junovy.com': 'default',
  'staging.certlab.junovy.com': 'untrusted',
  // cert-manager never issued its certificate (its HTTP-01 challenge is stuck): Traefik serves its default one.
  'challenge.certlab.junovy.com': 'default',
};
/** DNS exceptions: not published at all, and a record left pointing at an old load balancer. */
const DNS_MISSING = new Set(['not-published.certlab.junovy.com']);
const DNS_ELSEWHERE: Record<string, DnsRecordSet> = { 'moved.certlab.junovy.com': { A: ['127.0.0.99'] } };

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

/** Move every timestamp by `shiftMs`, so "restarted 20 minutes ago" stays true whenever the demo runs. */
function rebase(value: unknown, shiftMs: number): unknown {
  if (typeof value === 'string') return ISO.test(value) ? new Date(Date.parse(value) + shiftMs).toISOString().replace('.000Z', 'Z') : value;
  if (Array.isArray(value)) return value.map((v) => rebase(v, shiftMs));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rebase(v, shiftMs)]));
  }
  return value;
}

/** The second cluster of DEMO_CLUSTERS=2: the environment it holds alone, and the client being moved to it. */
const SECOND_ONLY = 'hst-initech';
const MOVED = 'hst-my-client';
/** The load-balancer address of the second cluster's Ingresses: public DNS (127.0.0.1) does not point at it yet. */
const SECOND_LB = '127.0.0.2';

/**
 * The two clusters' objects: the first is the demo without hst-initech; the second has the cluster-wide
 * and system objects, hst-initech, and a copy of hst-my-client whose Ingresses publish the second
 * cluster's address (a client half-way through a move: deployed there, DNS not switched yet).
 */
function splitClusters(objects: KubeObject[]): [KubeObject[], KubeObject[]] {
  const nsOf = (o: KubeObject) => (o.kind === 'Namespace' ? o.metadata.name : o.metadata.namespace);
  const first = objects.filter((o) => nsOf(o) !== SECOND_ONLY);
  const second = objects.flatMap((o): KubeObject[] => {
    const ns = nsOf(o);
    if (ns !== undefined && ns.startsWith('hst-') && ns !== SECOND_ONLY && ns !== MOVED) return [];
    return o.kind === 'Ingress' && ns === MOVED ? [{ ...o, status: { loadBalancer: { ingress: [{ ip: SECOND_LB }] } } }] : [o];
  });
  return [first, second];
}

/** The concrete hosts the demo's Ingresses, IngressRoutes and HTTPRoutes serve: each gets a DNS record and a certificate. */
function ingressHosts(objects: KubeObject[]): string[] {
  const hosts = new Set<string>();
  for (const o of objects) {
    if (o.kind === 'Ingress') {
      const rules = ((o as { spec?: { rules?: { host?: string }[] } }).spec?.rules ?? []);
      for (const r of rules) if (r.host && !r.host.startsWith('*')) hosts.add(r.host.toLowerCase());
    } else if (o.kind === 'IngressRoute') {
      for (const route of (o as { spec?: { routes?: { match?: string }[] } }).spec?.routes ?? []) {
        const parsed = parseMatch(route.match ?? '');
        if (parsed.ok) for (const r of parsed.routes) hosts.add(r.host.toLowerCase());
      }
    } else if (o.kind === 'HTTPRoute') {
      // HTTPRoute hostnames are served (and published) like Ingress hosts.
      for (const h of ((o as { spec?: { hostnames?: string[] } }).spec?.hostnames ?? [])) if (!h.startsWith('*')) hosts.add(h.toLowerCase());
    }
  }
  return [...hosts].sort();
}

async function main() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: process.env.PORT ?? '3000' },
      'api-port': { type: 'string', default: process.env.DEMO_API_PORT ?? '0' },
      clusters: { type: 'string', default: process.env.DEMO_CLUSTERS ?? '1' },
      'api-port-2': { type: 'string', default: process.env.DEMO_API_PORT_2 ?? '0' },
      prod: { type: 'boolean', default: false },
      dev: { type: 'boolean', default: false },
      timeline: { type: 'boolean', default: true },
      'no-timeline': { type: 'boolean', default: false },
      app: { type: 'boolean', default: true },
      'no-app': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log('usage: npm run demo -- [--port 3000] [--api-port N] [--dev] [--no-timeline] [--no-app]');
    return;
  }
  if (values.dev && values.prod) throw new Error('--dev and --prod: choose one');
  const port = Number(values.port);
  const apiPort = Number(values['api-port']);
  const apiPort2 = Number(values['api-port-2']);
  for (const [name, p] of [['--port', port], ['--api-port', apiPort], ['--api-port-2', apiPort2]] as const) {
    if (!Number.isInteger(p) || p < 0 || p > 65535) throw new Error(`${name}: not a port number`);
  }
  if (values.clusters !== '1' && values.clusters !== '2') throw new Error('--clusters (DEMO_CLUSTERS): 1 or 2');
  const two = values.clusters === '2';

  const loaded = loadRawObjects([join(ROOT, 'samples/cluster'), join(ROOT, 'demo/extra')]);
  for (const e of loaded.errors) console.warn(`demo data: ${e.file} document ${e.document}: ${e.message}`);
  const all = rebase(loaded.objects, Date.now() - SAMPLE_REFERENCE) as KubeObject[];
  const [objects, secondObjects] = two ? splitClusters(all) : [all, []];
  const hosts = [...new Set([...ingressHosts(objects), ...ingressHosts(secondObjects)])].sort();

  const work = mkdtempSync(join(tmpdir(), 'chainboard-demo-'));
  const records: Record<string, DnsRecordSet> = {};
  for (const h of hosts) if (!DNS_MISSING.has(h)) records[h] = DNS_ELSEWHERE[h] ?? { A: ['127.0.0.1'] };
  const dns = await startDnsServer({ records });
  // The timeline leaves hst-certlab, hst-edgelab, hst-routelab and hst-gatelab alone: their domains each show one
  // certificate, DNS, Traefik, IngressRoute or HTTPRoute state.
  // With two clusters it leaves the client being moved alone too, so the two chains of its host compare as they are.
  const timeline =
    values.timeline && !values['no-timeline'] ? { excludeNamespaces: ['hst-certlab', 'hst-edgelab', 'hst-routelab', 'hst-gatelab', ...(two ? [MOVED] : [])] } : false;
  const api = await startDemoServer({ port: apiPort, objects, timeline });
  const api2 = two ? await startDemoServer({ port: apiPort2, objects: secondObjects, timeline: false }) : undefined;
  // HTTP answers follow the cluster as the timeline changes it: Traefik's 404, 502 or 503, or the backend's
  // 200. With two clusters one endpoint answers for both (the probes of each dial the same address).
  const tls = await startTlsEndpoint({
    hosts: Object.fromEntries(hosts.map((h) => [h, CERTLAB[h] ?? 'valid'])),
    objects: (kind) => [...api.state.all(kind), ...(api2?.state.all(kind) ?? [])],
  });
  // Chainboard reads Traefik's API for its first cluster only: the demo's Traefik is the first cluster's.
  const traefik = await startTraefikApi({ data: () => traefikApiData(objectsOf((kind) => api.state.all(kind))) });
  // Two clusters: one kubeconfig per API server, merged by a KUBECONFIG list as kubectl merges them.
  const kubeconfig = api2
    ? `${api.writeKubeconfig(join(work, 'kubeconfig-eu'), { context: 'demo-eu' })}:${api2.writeKubeconfig(join(work, 'kubeconfig-us'), { context: 'demo-us' })}`
    : api.writeKubeconfig(join(work, 'kubeconfig'));
  const caFile = join(work, 'demo-ca.pem');
  writeFileSync(caFile, tls.caPem);

  const cluster = {
    ...demoClusterEnv({ kubeconfig, probeAddress: '127.0.0.1', probePort: tls.port, caFile, dnsServer: dns.server, traefikApi: traefik.url }),
    ...(api2 ? { CHAINBOARD_CONTEXTS: 'eu=demo-eu,us=demo-us' } : {}),
  };
  const env = {
    ...process.env,
    // next build and next dev report to Vercel unless told not to; Chainboard never phones home.
    NEXT_TELEMETRY_DISABLED: '1',
    ...cluster,
    CHAINBOARD_PROBE_TTL_MS: process.env.CHAINBOARD_PROBE_TTL_MS ?? '20000',
    // The demo cluster is new each run, so its history is too: a store in the run's folder, seeded with a
    // generated 30-day past (marked as demo data) that the live timeline then carries on from.
    CHAINBOARD_DATA_DIR: process.env.CHAINBOARD_DATA_DIR ?? join(work, 'history'),
    CHAINBOARD_DEMO_HISTORY: process.env.CHAINBOARD_DEMO_HISTORY ?? '1',
    DEMO_API_URL: api.url,
    ...(api2 ? { DEMO_API_URL_2: api2.url } : {}),
    // Sharing on in the demo, with a secret made for this run (links die with it), unless one is given.
    CHAINBOARD_SHARE_SECRET: process.env.CHAINBOARD_SHARE_SECRET ?? randomBytes(32).toString('base64url'),
  };

  console.log(`Demo Kubernetes API server: ${api.url}  (kubeconfig: ${kubeconfig})`);
  if (api2) console.log(`Second demo Kubernetes API server (cluster us): ${api2.url}`);
  console.log(`Demo TLS endpoint: 127.0.0.1:${tls.port}   demo DNS server: ${dns.server}   demo Traefik API: ${traefik.url}`);
  console.log(`\n${pointAnotherChainboard(cluster, port)}\n`);

  let app: ChildProcess | undefined;
  let stopping = false;
  const shutdown = async (code = 0) => {
    if (stopping) return;
    stopping = true;
    app?.kill('SIGTERM');
    await Promise.allSettled([api.close(), api2?.close(), tls.stop(), dns.stop(), traefik.close()]);
    rmSync(work, { recursive: true, force: true });
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  if (!values.app || values['no-app']) {
    console.log('Cluster side only (--no-app). Ctrl-C stops it.');
    return;
  }
  const dev = values.dev;
  if (!dev) {
    const code = await ensureProductionBuild(ROOT, env);
    if (code !== 0) return shutdown(code);
  }
  // The production server exactly as the image runs it (bin/chainboard-server.mjs: Next behind the read
  // API's fast path); with --dev `next dev`, whose route handlers answer the same API.
  const args = dev
    ? [join(ROOT, 'node_modules/next/dist/bin/next'), 'dev', '-H', '127.0.0.1', '-p', String(port)]
    : [join(ROOT, 'bin/chainboard-server.mjs'), '-H', '127.0.0.1', '-p', String(port)];
  app = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'], env });
  app.on('exit', (code) => void shutdown(code ?? 0));
  console.log(`\nChainboard: http://localhost:${port}  (${dev ? 'next dev' : 'production build'}; Ctrl-C stops everything)\n`);
}

main().catch((e: unknown) => {
  console.error(`demo: ${(e as Error).message}`);
  process.exit(1);
});
