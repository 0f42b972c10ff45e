// `chainboard check` against the demo API server over real HTTP (live mode, through the kubeconfig the
// demo writes) and with real probes: TLS handshakes against the demo TLS endpoint and lookups against the
// demo DNS server, all on 127.0.0.1.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startDemoServer, type DemoServer } from '../../demo/server';
import { loadRawObjects } from '../../demo/load';
import { startTlsEndpoint, type TlsEndpoint } from '../../demo/tls-endpoint';
import { startDnsServer, type DnsServer } from '../../demo/dns-server';
import { run, type CheckJson, type CliIO } from './run';

const ROOT = join(__dirname, '../..');
const NOW = '2026-11-26T09:30:00Z';

async function cli(argv: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { out: (t) => void (stdout += t), err: (t) => void (stderr += t), env, isTTY: false, now: () => new Date(NOW) };
  const code = await run(argv, io);
  return { code, stdout, stderr };
}

/** A demo cluster with the sample environments for one describe block, and its kubeconfig. */
function sampleCluster() {
  const c = { demo: undefined as unknown as DemoServer, kubeconfig: '', dir: '' };
  before(async () => {
    c.demo = await startDemoServer({ dumpPath: join(ROOT, 'samples/cluster') });
    c.dir = mkdtempSync(join(tmpdir(), 'chainboard-cli-'));
    c.kubeconfig = c.demo.writeKubeconfig(join(c.dir, 'kubeconfig'));
  });
  after(async () => {
    await c.demo.close();
    rmSync(c.dir, { recursive: true, force: true });
  });
  return c;
}

describe('chainboard check against a live cluster', () => {
  const cluster = sampleCluster();

  test('reads the cluster of the kubeconfig and prints the seed domain healthy', async () => {
    const r = await cli(['check', 'app.my-client.junovy.com', '--kubeconfig', cluster.kubeconfig, '--no-probe', '--json', '--now', NOW]);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    const json = JSON.parse(r.stdout) as CheckJson;
    assert.deepEqual(json.domains.map((d) => [d.host, d.health]), [['app.my-client.junovy.com', 'healthy']]);
    assert.equal(json.domains[0]?.routes[0]?.service?.counts.ready, 3);
  });

  test('a down domain read live exits 2 with its finding', async () => {
    const r = await cli(['check', 'checkout.acme.junovy.com', '--kubeconfig', cluster.kubeconfig, '--no-probe', '--now', NOW]);
    assert.equal(r.code, 2);
    assert.match(r.stdout, /service\.no-ready-endpoints/);
  });

  test('Pods the credentials may not list make the domain unknown, never healthy, exit 3', async () => {
    const undo = cluster.demo.forbid({ namespace: 'hst-my-client', kind: 'Pod' });
    try {
      const r = await cli(['check', 'app.my-client.junovy.com', '--kubeconfig', cluster.kubeconfig, '--no-probe', '--json', '--now', NOW], {
        CHAINBOARD_NAMESPACES: 'hst-my-client,hst-acme',
      });
      assert.equal(r.code, 3, r.stderr);
      const d = (JSON.parse(r.stdout) as CheckJson).domains[0];
      assert.equal(d?.health, 'unknown');
      assert.ok(d?.gaps.some((g) => g.reason === 'forbidden' && g.namespace === 'hst-my-client'));
    } finally {
      undo();
    }
  });
});

describe('chainboard check with certificate and DNS probes', () => {
  let tls: TlsEndpoint;
  let dns: DnsServer;
  let dir: string;
  let caFile: string;
  before(async () => {
    tls = await startTlsEndpoint({
      hosts: {
        'secure.certlab.junovy.com': 'valid',
        'expired.certlab.junovy.com': 'expired',
        'wronghost.certlab.junovy.com': 'wrong-host',
        'staging.certlab.junovy.com': 'untrusted',
        'moved.certlab.junovy.com': 'valid',
        // acme-failed is unknown to the endpoint: it serves Traefik's default certificate, as Traefik does.
      },
    });
    dns = await startDnsServer({
      records: {
        'secure.certlab.junovy.com': { A: ['127.0.0.1'] },
        'expired.certlab.junovy.com': { A: ['127.0.0.1'] },
        'wronghost.certlab.junovy.com': { A: ['127.0.0.1'] },
        'staging.certlab.junovy.com': { A: ['127.0.0.1'] },
        'acme-failed.certlab.junovy.com': { A: ['127.0.0.1'] },
        'moved.certlab.junovy.com': { A: ['127.0.0.99'] },
      },
    });
    dir = mkdtempSync(join(tmpdir(), 'chainboard-probe-'));
    caFile = join(dir, 'ca.pem');
    writeFileSync(caFile, tls.caPem);
  });
  after(async () => {
    await Promise.all([tls.stop(), dns.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  test('each certificate and DNS state of the dump comes out of a real handshake or lookup', async () => {
    const r = await cli([
      'check', '--from', join(ROOT, 'samples/cluster/00-cluster.yaml'), '--from', join(ROOT, 'demo/extra/hst-certlab.yaml'), '--json',
      '--probe-address', '127.0.0.1', '--probe-port', String(tls.port), '--dns-server', dns.server, '--probe-ca-file', caFile,
    ]);
    const json = JSON.parse(r.stdout) as CheckJson;
    const codes = Object.fromEntries(
      json.domains.map((d) => [d.host, d.findings.filter((f) => f.severity !== 'info').map((f) => f.code).sort()]),
    );
    assert.deepEqual(codes, {
      'secure.certlab.junovy.com': [],
      'expired.certlab.junovy.com': ['tls.cert-expired'],
      'wronghost.certlab.junovy.com': ['tls.host-mismatch'],
      'staging.certlab.junovy.com': ['tls.untrusted'],
      'acme-failed.certlab.junovy.com': ['tls.default-certificate'],
      'moved.certlab.junovy.com': ['dns.points-elsewhere'],
      // Not in the endpoint's list: Traefik's default certificate; not in DNS: NXDOMAIN.
      'expiring.certlab.junovy.com': ['dns.not-resolving', 'tls.default-certificate'],
      'not-published.certlab.junovy.com': ['dns.not-resolving', 'tls.default-certificate'],
    });
    assert.equal(r.code, 2);
    const secure = json.domains.find((d) => d.host === 'secure.certlab.junovy.com');
    assert.equal(secure?.tls.probe?.status, 'ok');
    assert.equal(secure?.dns.probe?.status, 'ok');
  });

  test('--no-probe makes no connection at all', async () => {
    const before = tls.connections();
    const r = await cli(['check', '--from', join(ROOT, 'demo/extra/hst-certlab.yaml'), '--json', '--no-probe', '--probe-port', String(tls.port), '--probe-address', '127.0.0.1']);
    assert.equal(tls.connections(), before);
    assert.ok((JSON.parse(r.stdout) as CheckJson).domains.every((d) => d.tls.probe === undefined));
  });

  test("the HTTP checks go through the probe address: Traefik's answers become http findings, and --no-probe leaves HTTP not checked", async () => {
    const { objects } = loadRawObjects([join(ROOT, 'samples/cluster')]);
    const traefik = await startTlsEndpoint({ hosts: {}, objects: (kind) => objects.filter((o) => o.kind === kind) });
    try {
      const args = ['check', 'api.northwind.junovy.com', '--from', join(ROOT, 'samples/cluster'), '--probe-address', '127.0.0.1', '--probe-port', String(traefik.port), '--dns-server', dns.server];
      const r = await cli(args);
      assert.match(r.stdout, /^ {2}HTTP {3}\/ 502 from the controller \(bad gateway\) · \d+ ms {2}down$/m, r.stdout);
      assert.match(r.stdout, /http\.bad-gateway {2}https:\/\/api\.northwind\.junovy\.com:\d+\/ answered 502 from the ingress controller/);
      assert.match(r.stdout, new RegExp(`→ curl -sv --resolve api\\.northwind\\.junovy\\.com:${traefik.port}:127\\.0\\.0\\.1 https://api\\.northwind\\.junovy\\.com:${traefik.port}/`));
      assert.equal(r.code, 2);
      const before = traefik.connections();
      const off = await cli([...args, '--no-probe']);
      assert.match(off.stdout, /^ {2}HTTP {3}no request sent {2}not checked \(probes off\)$/m);
      assert.doesNotMatch(off.stdout, /http\./);
      assert.equal(traefik.connections(), before);
    } finally {
      await traefik.stop();
    }
  });

  test('a bad probe setting is an error before any network traffic', async () => {
    const r = await cli(['check', '--from', join(ROOT, 'demo/extra/hst-certlab.yaml'), '--probe-port', 'https']);
    assert.equal(r.code, 3);
    assert.match(r.stderr, /--probe-port/);
  });
});

describe('chainboard check reading cert-manager Certificates and TLS Secrets live', () => {
  const cluster = sampleCluster();

  const codes = async (host: string, env: Record<string, string>) => {
    const r = await cli(['check', host, '--kubeconfig', cluster.kubeconfig, '--no-probe', '--json', '--now', NOW], env);
    return (JSON.parse(r.stdout) as CheckJson).domains[0]?.findings.map((f) => f.code) ?? [];
  };

  test('a cert-manager Certificate that is not Ready is reported only when Certificates are read', async () => {
    assert.ok((await codes('careers.umbrella.junovy.com', { CHAINBOARD_CERT_MANAGER: '1', CHAINBOARD_READ_SECRETS: '1' })).includes('tls.certificate-not-ready'));
    assert.ok(!(await codes('careers.umbrella.junovy.com', {})).includes('tls.certificate-not-ready'));
  });

  test('an expired certificate in a readable TLS Secret is reported only when Secrets are read', async () => {
    assert.ok((await codes('billing.umbrella.junovy.com', { CHAINBOARD_READ_SECRETS: '1' })).includes('tls.secret-cert-expired'));
    assert.ok(!(await codes('billing.umbrella.junovy.com', {})).includes('tls.secret-cert-expired'));
  });
});
