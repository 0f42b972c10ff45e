// `chainboard check` over several clusters: two demo Kubernetes API servers (the real list/watch protocol
// on 127.0.0.1) as two contexts of one kubeconfig, and a third context pointing at a port nobody listens
// on. Each cluster is read on its own and shown under its own heading; one that cannot be read is named
// with its reason and exit code 3 while the others are still printed.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { kubeconfigYaml, startDemoServer, type DemoServer } from '../../demo/server';
import { freePort } from '../testing/net';
import { run, type CheckJson, type CliIO } from './run';

const SAMPLE = join(__dirname, '..', '..', 'samples', 'cluster');
const NOW = '2026-11-26T09:30:00Z';

describe('chainboard check over several clusters', () => {
  let eu: DemoServer;
  let us: DemoServer;
  let dir: string;
  /** KUBECONFIG with the contexts kind-eu and kind-us. */
  let both: string;
  /** KUBECONFIG with kind-eu, kind-us and kind-gone (a closed port). */
  let withGone: string;
  let gonePort: number;

  before(async () => {
    [eu, us] = await Promise.all([startDemoServer({ dumpPath: SAMPLE }), startDemoServer({ dumpPath: SAMPLE })]);
    // us serves the same clients but globex's corporate site: www.globex.junovy.com is in eu alone.
    us.remove('Ingress', 'hst-globex', 'corporate');
    dir = mkdtempSync(join(tmpdir(), 'chainboard-cli-clusters-'));
    const a = eu.writeKubeconfig(join(dir, 'eu.yaml'), { context: 'kind-eu' });
    const b = us.writeKubeconfig(join(dir, 'us.yaml'), { context: 'kind-us' });
    gonePort = await freePort();
    const c = join(dir, 'gone.yaml');
    writeFileSync(c, kubeconfigYaml(`http://127.0.0.1:${gonePort}`, { context: 'kind-gone' }));
    // A KUBECONFIG list is merged, as kubectl reads it: one kubeconfig with every context.
    both = `${a}:${b}`;
    withGone = `${a}:${b}:${c}`;
  });

  after(async () => {
    await Promise.all([eu.close(), us.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  async function cli(argv: string[], env: Record<string, string>) {
    let stdout = '';
    let stderr = '';
    const io: CliIO = {
      out: (t) => void (stdout += t),
      err: (t) => void (stderr += t),
      // The kubeconfig comes from the command's environment, never the test process's.
      env: { CHAINBOARD_PROBE: 'off', ...env },
      isTTY: false,
      now: () => new Date(NOW),
    };
    const started = Date.now();
    const code = await run(['check', ...argv, '--now', NOW], io);
    return { code, stdout, stderr, ms: Date.now() - started };
  }
  const hostsOf = (json: CheckJson, cluster: string) => json.domains.filter((d) => d.cluster === cluster).map((d) => d.host).sort();

  test('--context twice reads both clusters, and the JSON names the cluster of every domain', async () => {
    const r = await cli(['--context', 'eu=kind-eu', '--context', 'us=kind-us', '--json'], { KUBECONFIG: both });
    assert.equal(r.stderr, '');
    const json = JSON.parse(r.stdout) as CheckJson;
    assert.deepEqual(json.clusters, [{ name: 'eu', ok: true }, { name: 'us', ok: true }]);
    assert.deepEqual(json.errors, []);
    assert.deepEqual([...new Set(json.domains.map((d) => d.cluster))], ['eu', 'us'], 'every domain has its cluster, in the order given');
    const inEu = hostsOf(json, 'eu');
    const inUs = hostsOf(json, 'us');
    assert.equal(inEu.length, 34);
    assert.deepEqual(inEu.filter((h) => !inUs.includes(h)), ['www.globex.junovy.com']);
    assert.equal(inUs.length, 33);
    assert.equal(r.code, 2, 'the worst domain of all clusters decides: down');
  });

  test('prints a heading per cluster, each with its domains and totals, and what a cluster does not serve', async () => {
    const r = await cli(['app.my-client.junovy.com', 'www.globex.junovy.com', '--context', 'eu=kind-eu', '--context', 'us=kind-us', '--summary'], { KUBECONFIG: both });
    assert.equal(r.stderr, '');
    const sections = r.stdout.trimEnd().split('\n\n');
    assert.deepEqual(sections.slice(0, 3), [
      `━━ cluster eu  context kind-eu at http://127.0.0.1:${eu.port}`,
      sections[1],
      '2 domains in 2 namespaces: 1 down, 1 healthy',
    ]);
    assert.match(sections[1]!, /^healthy {3}app\.my-client\.junovy\.com {2}hst-my-client\ndown {6}www\.globex\.junovy\.com {5}hst-globex {5}ingress\.class-unknown {2}/);
    assert.deepEqual(sections.slice(3), [
      `━━ cluster us  context kind-us at http://127.0.0.1:${us.port}`,
      'healthy   app.my-client.junovy.com  hst-my-client',
      '1 domain in 1 namespace: 1 healthy\nnot served by this cluster: www.globex.junovy.com',
      '2 clusters: eu, us',
    ]);
    assert.equal(r.code, 2);
  });

  test('a host that no cluster serves is an error naming the closest one, exit 3', async () => {
    const r = await cli(['app.my-cilent.junovy.com', '--context', 'eu=kind-eu', '--context', 'us=kind-us', '--json'], { KUBECONFIG: both });
    const json = JSON.parse(r.stdout) as CheckJson;
    assert.deepEqual(json.domains, []);
    assert.deepEqual(json.errors, [{ type: 'host', host: 'app.my-cilent.junovy.com', message: 'no cluster read serves app.my-cilent.junovy.com; did you mean app.my-client.junovy.com?' }]);
    assert.equal(r.code, 3);
  });

  test('a cluster at a closed port is reported on its own, soon, with exit 3, and the other is still printed', async () => {
    const r = await cli(['--context', 'eu=kind-eu', '--context', 'gone=kind-gone', '--json'], { KUBECONFIG: withGone });
    const json = JSON.parse(r.stdout) as CheckJson;
    assert.deepEqual(json.clusters, [{ name: 'eu', ok: true }, { name: 'gone', ok: false }]);
    assert.equal(hostsOf(json, 'eu').length, 34, "eu's domains are all there");
    assert.equal(json.domains.length, 34);
    assert.equal(json.errors.length, 1);
    const [error] = json.errors;
    assert.equal(error?.type, 'source');
    assert.equal(error?.cluster, 'gone');
    assert.match(error?.type === 'source' ? error.message : '', new RegExp(`^cannot reach the cluster at kind-gone \\(http://127\\.0\\.0\\.1:${gonePort}\\): .*ECONNREFUSED`));
    assert.match(r.stderr, /^chainboard: cluster gone: cannot reach the cluster at kind-gone/);
    assert.equal(r.code, 3);
    // A refused connection does not heal while a terminal waits: given up after seconds, not the 30 s sync wait.
    assert.ok(r.ms < 15_000, `took ${r.ms} ms`);

    const text = await cli(['--context', 'eu=kind-eu', '--context', 'gone=kind-gone', '--summary', '--unhealthy'], { KUBECONFIG: withGone });
    const sections = text.stdout.trimEnd().split('\n\n');
    assert.equal(sections[0], `━━ cluster eu  context kind-eu at http://127.0.0.1:${eu.port}`);
    assert.match(sections[1]!, /^down {6}api\.northwind\.junovy\.com .*\nwarning {3}hst-globex \(outside any domain\) {2}ingress\.no-rules {2}/s, 'the summary lines of eu');
    assert.match(sections[2]!, /^\d+ domains in \d+ namespaces: \d+ down, \d+ degraded \(\d+ healthy not shown\)$/);
    assert.equal(sections.at(-3), '━━ cluster gone  context kind-gone');
    assert.match(sections.at(-2)!, /^not read: cannot reach the cluster at kind-gone/);
    assert.equal(sections.at(-1), '2 clusters: eu, gone not read');
    assert.equal(text.code, 3);
  });

  test('a context the kubeconfig does not have is that cluster\'s error; the other is read', async () => {
    const r = await cli(['--context', 'eu=kind-eu', '--context', 'mars=kind-mars', '--json'], { KUBECONFIG: both });
    const json = JSON.parse(r.stdout) as CheckJson;
    assert.deepEqual(json.clusters, [{ name: 'eu', ok: true }, { name: 'mars', ok: false }]);
    assert.equal(json.domains.length, 34);
    assert.deepEqual(json.errors, [{ type: 'source', cluster: 'mars', message: 'kubeconfig has no context "kind-mars" (contexts: kind-eu, kind-us)' }]);
    assert.equal(r.code, 3);
  });

  test('CHAINBOARD_CONTEXTS is honoured, * is every context, and --context wins over it', async () => {
    const named = await cli(['--json'], { KUBECONFIG: both, CHAINBOARD_CONTEXTS: 'eu=kind-eu,us=kind-us' });
    assert.deepEqual((JSON.parse(named.stdout) as CheckJson).clusters, [{ name: 'eu', ok: true }, { name: 'us', ok: true }]);
    const all = await cli(['--json'], { KUBECONFIG: both, CHAINBOARD_CONTEXTS: '*' });
    const json = JSON.parse(all.stdout) as CheckJson;
    assert.deepEqual(json.clusters, [{ name: 'kind-eu', ok: true }, { name: 'kind-us', ok: true }]);
    assert.equal(hostsOf(json, 'kind-us').length, 33);
    const flag = await cli(['--json', '--context', 'kind-us'], { KUBECONFIG: both, CHAINBOARD_CONTEXTS: '*' });
    assert.deepEqual((JSON.parse(flag.stdout) as CheckJson).clusters, [{ name: 'default', ok: true }], 'one context is the one cluster, named as ever');
  });

  test('the kubeconfigs of CHAINBOARD_REMOTE_KUBECONFIGS are checked beside the local cluster, each named after its file', async () => {
    const remote = join(dir, 'remote');
    mkdirSync(remote);
    us.writeKubeconfig(join(remote, 'us-east.yaml'), { context: 'whatever' });
    const r = await cli(['--json'], { KUBECONFIG: join(dir, 'eu.yaml'), CHAINBOARD_CLUSTER_NAME: 'local', CHAINBOARD_REMOTE_KUBECONFIGS: remote });
    const json = JSON.parse(r.stdout) as CheckJson;
    assert.deepEqual(json.clusters, [{ name: 'local', ok: true }, { name: 'us-east', ok: true }]);
    assert.equal(hostsOf(json, 'us-east').length, 33, "us's domains, read through the file's kubeconfig");
    assert.ok(hostsOf(json, 'local').includes('www.globex.junovy.com'));
    assert.deepEqual(json.errors, []);
  });

  test('one context prints as it always did: no heading, the cluster named default', async () => {
    const r = await cli(['app.my-client.junovy.com', '--context', 'kind-eu', '--summary'], { KUBECONFIG: both });
    assert.equal(r.stdout, 'healthy   app.my-client.junovy.com  hst-my-client\n\n1 domain in 1 namespace: 1 healthy\n');
    assert.equal(r.code, 0);
  });
});
