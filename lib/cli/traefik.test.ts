// `chainboard check --traefik-api` in live mode: the demo API server (with the hst-edgelab environment and
// its Middlewares) over real HTTP, and the demo's Traefik API on 127.0.0.1 computed from the same objects.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startDemoServer, type DemoServer } from '../../demo/server';
import { objectsOf, startTraefikApi, traefikApiData, type TraefikApi } from '../../demo/traefik-api';
import { freePort } from '../testing/net';
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

describe("chainboard check with Traefik's view", () => {
  let demo: DemoServer;
  let traefik: TraefikApi;
  let dir: string;
  let kubeconfig: string;
  before(async () => {
    demo = await startDemoServer({ dumpPath: [join(ROOT, 'samples/cluster/00-cluster.yaml'), join(ROOT, 'demo/extra/hst-edgelab.yaml')] });
    traefik = await startTraefikApi({ data: () => traefikApiData(objectsOf((k) => demo.state.all(k))) });
    dir = mkdtempSync(join(tmpdir(), 'chainboard-cli-traefik-'));
    kubeconfig = demo.writeKubeconfig(join(dir, 'kubeconfig'));
  });
  after(async () => {
    await traefik.close();
    await demo.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('--traefik-api reads the routers once: the missing Middleware disables its router, exit 2', async () => {
    const r = await cli(['check', 'admin.edgelab.junovy.com', '--kubeconfig', kubeconfig, '--no-probe', '--traefik-api', traefik.url, '--json', '--now', NOW], { CHAINBOARD_TRAEFIK_MIDDLEWARES: '1' });
    assert.equal(r.stderr, '');
    assert.equal(r.code, 2);
    const d = (JSON.parse(r.stdout) as CheckJson).domains[0]!;
    assert.deepEqual(d.findings.map((f) => f.code).filter((c) => c.startsWith('traefik.')).sort(), ['traefik.middleware-missing', 'traefik.router-error']);
    assert.equal(d.traefik?.routers[0]?.status, 'disabled');
  });

  test('without the API the router line says not checked, and the domain is judged by the rest', async () => {
    const r = await cli(['check', 'shop.edgelab.junovy.com', '--kubeconfig', kubeconfig, '--no-probe', '--now', NOW]);
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stdout, /router hst-edgelab-shop-shop-edgelab-junovy-com@kubernetes · middlewares hst-edgelab-basic-auth@kubernetescrd \(not-checked\)  not checked \(Traefik's API not configured, Middlewares not read\)/);
  });

  test('an API that does not answer is named, never taken as healthy', async () => {
    // A free port nothing listens on: the connection is refused.
    const port = await freePort();
    const r = await cli(['check', 'blog.edgelab.junovy.com', '--kubeconfig', kubeconfig, '--no-probe', '--traefik-api', `http://127.0.0.1:${port}`, '--now', NOW]);
    assert.match(r.stdout, /router .*not checked \(Traefik's API unreachable: .*ECONNREFUSED/);
  });
});
