// `npm run demo` prints what to export to point another Chainboard at its cluster. This runs the demo
// (cluster side only), takes the printed lines as a shell would, and checks that they work: the project's
// own config loader accepts them and names the demo's servers, the kubeconfig reaches the demo API
// server, and a TLS probe and a DNS lookup made with those settings succeed where they would fail without.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { probeDns } from '../lib/probe/dns';
import { probeTls } from '../lib/probe/tls';
import { parseConfig, type Config } from '../lib/server/config';
import { exportLines, shellQuote } from './demo-env';

const ROOT = join(__dirname, '..');
const HOST = 'www.acme.junovy.com';

let demo: ChildProcess;
let printed = '';
let exported: Record<string, string>;
let config: Config;

/** The environment a POSIX shell has after running `lines`, minus what it had before. */
function afterSourcing(lines: string[]): Record<string, string> {
  const run = (script: string) => {
    const r = spawnSync('sh', ['-c', `${script}\nnode -e 'process.stdout.write(JSON.stringify(process.env))'`], { env: { PATH: process.env.PATH } as Record<string, string | undefined> as NodeJS.ProcessEnv, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout) as Record<string, string>;
  };
  const base = run(':');
  const env = run(lines.join('\n'));
  return Object.fromEntries(Object.entries(env).filter(([k, v]) => base[k] !== v));
}

before(async () => {
  demo = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/demo.ts'), '--no-app', '--no-timeline', '--port', '3999'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME } as Record<string, string | undefined> as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`the demo printed no exports in 60 s:\n${printed}`)), 60_000);
    demo.stdout!.on('data', (b: Buffer) => {
      printed += b.toString();
      if (printed.includes('Cluster side only')) {
        clearTimeout(t);
        resolve();
      }
    });
    demo.on('exit', (code) => reject(new Error(`the demo exited with ${code}:\n${printed}`)));
  });
  exported = afterSourcing(printed.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('export ')));
  config = parseConfig(exported);
});

after(() => {
  demo?.kill('SIGTERM');
});

describe('the variables npm run demo prints for another Chainboard', () => {
  test('are the four probe settings, the kubeconfig and what the demo dashboard reads', () => {
    assert.deepEqual(Object.keys(exported).sort(), [
      'CHAINBOARD_CERT_MANAGER',
      'CHAINBOARD_CONTEXT',
      'CHAINBOARD_DNS_SERVERS',
      'CHAINBOARD_GATEWAY_API',
      'CHAINBOARD_PROBE',
      'CHAINBOARD_PROBE_ADDRESS',
      'CHAINBOARD_PROBE_CA_FILE',
      'CHAINBOARD_PROBE_LOOPBACK_ONLY',
      'CHAINBOARD_PROBE_PORT',
      'CHAINBOARD_READ_SECRETS',
      'CHAINBOARD_TRAEFIK_API',
      'CHAINBOARD_TRAEFIK_INGRESSROUTES',
      'CHAINBOARD_TRAEFIK_MIDDLEWARES',
      'KUBECONFIG',
    ]);
    assert.match(printed, /npm start -- -p 3001/);
  });

  test('parse with the project\'s config loader and name the demo\'s TLS endpoint, DNS server and CA', () => {
    const tls = /Demo TLS endpoint: 127\.0\.0\.1:(\d+)\s+demo DNS server: (\S+)\s+demo Traefik API: (\S+)/.exec(printed);
    assert.ok(tls, printed);
    assert.equal(config.probe.enabled, true);
    assert.equal(config.probe.address, '127.0.0.1');
    assert.equal(config.probe.port, Number(tls[1]));
    assert.deepEqual(config.probe.dnsServers, [tls[2]]);
    assert.match(config.probe.ca ?? '', /^-----BEGIN CERTIFICATE-----/);
    assert.equal(config.probeLoopbackOnly, true);
    assert.equal(config.traefik?.api, tls[3]);
    assert.deepEqual(config.cluster, { mode: 'live', kubeconfig: undefined, targets: [{ name: 'default' }], namespaces: undefined, readSecrets: true, certManager: true, middlewares: true, ingressRoutes: true, gatewayApi: { gatewayNamespaces: [] }, stallAfterMs: config.cluster.mode === 'live' ? config.cluster.stallAfterMs : 0 });
  });

  test('reach the demo cluster: the kubeconfig lists its client environments', async () => {
    const kc = new KubeConfig();
    kc.loadFromFile(exported.KUBECONFIG!);
    const api = /Demo Kubernetes API server: (\S+)/.exec(printed)?.[1];
    assert.equal(kc.getCurrentCluster()?.server, api);
    const list = await kc.makeApiClient(CoreV1Api).listNamespace();
    assert.ok(list.items.some((n) => n.metadata?.name === 'hst-acme'));
  });

  test('make the probes succeed: a trusted handshake at the demo endpoint and an answer from its DNS', async () => {
    const tls = await probeTls({ host: HOST, address: config.probe.address!, port: config.probe.port, ca: config.probe.ca, timeoutMs: 5000 });
    assert.ok(tls.status === 'ok' && tls.trusted, JSON.stringify(tls));
    assert.ok(tls.chain[0]?.sans.includes(HOST));
    const dns = await probeDns({ host: HOST, servers: config.probe.dnsServers, timeoutMs: 5000 });
    assert.deepEqual(dns.status === 'ok' ? dns.a : dns, ['127.0.0.1']);
    // Without the printed settings the same host is dialled at its real address and asked of the system
    // resolver, which do not know it: that is why they are printed.
    const bare = parseConfig({ KUBECONFIG: exported.KUBECONFIG });
    assert.equal(bare.probe.address, undefined);
    assert.deepEqual(bare.probe.dnsServers, []);
  });
});

describe('shell quoting of the printed lines', () => {
  test('reads back every value unchanged, spaces and quotes included', () => {
    const vars = { A: '/tmp/plain/path', B: '', C: "it's here", D: 'a b $HOME `x`' };
    assert.deepEqual(afterSourcing(exportLines(vars)), vars);
    assert.equal(shellQuote('127.0.0.1:5353'), '127.0.0.1:5353');
  });
});
