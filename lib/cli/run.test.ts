// The command in-process, with a fake terminal: colour decisions, the whole-cluster view and the errors
// that never reach the engine.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, mock, test } from 'node:test';
import { SERVICE_ACCOUNT_TOKEN } from '../cluster/kubeconfig';
import { analyze } from '../chain';
import { loadDump } from '../cluster/dump';
import { run, type CheckJson, type CliIO } from './run';

const SAMPLE = join(__dirname, '..', '..', 'samples', 'cluster');
const NOW = '2026-11-26T09:30:00Z';
const ESC = '\u001b[';

async function cli(argv: string[], { env = {}, isTTY = false, now = NOW }: { env?: Record<string, string>; isTTY?: boolean; now?: string } = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    out: (t) => void (stdout += t),
    err: (t) => void (stderr += t),
    // Probes off unless a test turns them on: the sample dump has no TLS server behind its address.
    env: { CHAINBOARD_PROBE: 'off', ...env },
    isTTY,
    now: () => new Date(now),
  };
  const code = await run(argv, io);
  return { code, stdout, stderr };
}

const seed = ['check', 'app.my-client.junovy.com', '--from', SAMPLE];

describe('chainboard run', () => {
  test('colours the status on a terminal', async () => {
    const r = await cli(seed, { isTTY: true });
    assert.ok(r.stdout.startsWith(`${ESC}32m●${ESC}39m ${ESC}1mapp.my-client.junovy.com${ESC}22m  ${ESC}32mhealthy${ESC}39m`), r.stdout);
  });

  test('does not colour when stdout is not a terminal, NO_COLOR is set, or --no-color is given', async () => {
    for (const r of [await cli(seed), await cli(seed, { isTTY: true, env: { NO_COLOR: '1' } }), await cli([...seed, '--no-color'], { isTTY: true })]) {
      assert.equal(r.stdout.includes(ESC), false);
      assert.ok(r.stdout.startsWith('● app.my-client.junovy.com  healthy'));
    }
  });

  test('colours a pipe when FORCE_COLOR asks for it', async () => {
    const r = await cli(seed, { env: { FORCE_COLOR: '1' } });
    assert.ok(r.stdout.includes(ESC));
  });

  test('shows the whole cluster with the findings outside any domain and a summary, and exits 2', async () => {
    const r = await cli(['check', '--from', SAMPLE, '--now', NOW]);
    const blocks = r.stdout.trimEnd().split('\n\n');
    assert.equal(blocks.length, 34 + 2);
    assert.match(blocks.at(-2)!, /^● hst-globex {2}findings outside any domain\n {2}warning\n {4}ingress\.no-rules {2}/);
    assert.equal(blocks.at(-1), '34 domains in 7 namespaces: 15 down, 9 degraded, 10 healthy');
    assert.equal(r.stderr, '');
    assert.equal(r.code, 2);
  });

  test('says so and exits 3 when no namespace matches the prefix', async () => {
    const r = await cli(['check', '--from', SAMPLE, '--namespace-prefix', 'nope-']);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, 'chainboard: no domains found in namespaces matching "nope-*" (0 such namespaces)\n');
    assert.equal(r.code, 3);
  });

  test('reports a dump path that does not exist and exits 3', async () => {
    const r = await cli(['check', '--from', '/nonexistent/dump.yaml']);
    assert.equal(r.stderr, 'chainboard: cannot read /nonexistent/dump.yaml: no such file or folder\n');
    assert.equal(r.code, 3);
  });

  test('points a usage error at the right help and exits 3', async () => {
    const r = await cli(['check', '--jsn']);
    assert.equal(r.stderr, "chainboard: unknown option --jsn\nRun 'chainboard check --help' for usage.\n");
    assert.equal(r.code, 3);
  });

  test('without any kubeconfig says so in one line at once and exits 3, waiting on no timer', { skip: existsSync(SERVICE_ACCOUNT_TOKEN) && 'runs in a Pod: the in-cluster account is a kubeconfig' }, async () => {
    const home = mkdtempSync(join(tmpdir(), 'chainboard-home-'));
    // Frozen timers: a run that waited for a cluster (the sync timeout, a reconnect backoff) would never
    // resolve, and the guard below, made with the real setTimeout before the freeze, would say so.
    const realSetTimeout = globalThis.setTimeout;
    mock.timers.enable({ apis: ['setTimeout', 'setInterval'] });
    try {
      const guard = new Promise<'waited'>((r) => realSetTimeout(() => r('waited'), 20_000).unref());
      const r = await Promise.race([cli(['check', '--no-probe'], { env: { HOME: home } }), guard]);
      assert.notEqual(r, 'waited', 'the command waited on a timer');
      if (r === 'waited') return;
      assert.equal(r.stdout, '');
      assert.equal(
        r.stderr,
        `chainboard: no kubeconfig: KUBECONFIG is not set, ${join(home, '.kube', 'config')} does not exist, and this is not a Pod with a service account token; pass --kubeconfig FILE, or --from DUMP to read a dump\n`,
      );
      assert.equal(r.code, 3);
    } finally {
      mock.timers.reset();
      rmSync(home, { recursive: true, force: true });
    }
  });

  test('names a host that cannot be a domain as not valid, without reading the cluster, and exits 3', async () => {
    const r = await cli(['check', 'bad..host', '--from', '/nonexistent/dump.yaml']);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, 'chainboard: "bad..host" is not a valid host name (RFC 1123, optionally "*." in front)\n');
    assert.equal(r.code, 3);
  });

  test('with --json puts the reason for a missing host in errors[] as well as on stderr, and exits 3', async () => {
    const r = await cli(['check', 'nope.example.com', 'bad..host', 'app.my-client.junovy.com', '--from', SAMPLE, '--now', NOW, '--json']);
    const json = JSON.parse(r.stdout) as CheckJson;
    assert.deepEqual(json.domains.map((d) => d.host), ['app.my-client.junovy.com']);
    assert.deepEqual(json.errors, [
      { type: 'host', host: 'bad..host', message: '"bad..host" is not a valid host name (RFC 1123, optionally "*." in front)' },
      { type: 'host', host: 'nope.example.com', message: 'no domain nope.example.com in namespaces matching "hst-*"' },
    ]);
    assert.equal(r.stderr, json.errors.map((e) => `chainboard: ${e.message}\n`).join(''));
    assert.equal(r.code, 3);
  });

  test('with --json and no cluster at all says why in errors[]', async () => {
    const r = await cli(['check', '--kubeconfig', '/nonexistent/kubeconfig', '--json']);
    assert.deepEqual(JSON.parse(r.stdout), { domains: [], errors: [{ type: 'source', message: 'kubeconfig /nonexistent/kubeconfig does not exist' }], clusters: [{ name: 'default', ok: false }] });
    assert.equal(r.code, 3);
  });

  test('a symptom says which findings cause it, and --json carries their ids in causes', async () => {
    const text = await cli(['check', 'checkout.acme.junovy.com', '--from', SAMPLE]);
    assert.match(
      text.stdout,
      /\n {4}service\.no-ready-endpoints {2}.*\n {6}→ kubectl .*get endpointslices.*\n {6}because Container crash-looping: Pods checkout-q8x4sv2bzk-r7fpn, checkout-q8x4sv2bzk-zrghq\n/,
    );
    assert.equal(text.stdout.match(/because/g)?.length, 1, 'only the symptom has a because line');
    const json = JSON.parse((await cli(['check', 'reports.bakery-bros.junovy.com', '--from', SAMPLE, '--json'])).stdout) as CheckJson;
    const findings = json.domains[0]!.findings;
    const symptom = findings.find((f) => f.code === 'service.no-endpoints')!;
    assert.deepEqual(symptom.causes, ['pod.pending:hst-bakery-bros/Pod/reports-8fxpwxfjhk-km6r8', 'pod.pending:hst-bakery-bros/Pod/reports-8fxpwxfjhk-xg8l4']);
    for (const id of symptom.causes!) assert.match(findings.find((f) => f.id === id)!.message, /not scheduled \(Unschedulable\): 0\/4 nodes are available/);
  });

  test('--unhealthy leaves the healthy domains out and says how many', async () => {
    const r = await cli(['check', '--from', SAMPLE, '--now', NOW, '--unhealthy']);
    const blocks = r.stdout.trimEnd().split('\n\n');
    const heads = blocks.map((b) => b.split('\n')[0]!);
    assert.equal(heads.filter((h) => / {2}(down|degraded|unknown) {2}hst-/.test(h)).length, 24);
    assert.equal(heads.filter((h) => / {2}healthy {2}/.test(h)).length, 0);
    assert.match(blocks.at(-2)!, /^● hst-globex {2}findings outside any domain\n/);
    assert.equal(blocks.at(-1), '24 domains in 6 namespaces: 15 down, 9 degraded (10 healthy not shown)');
    assert.equal(r.code, 2);
  });

  test('--unhealthy on a healthy domain prints that it is healthy and exits 0', async () => {
    const r = await cli(['check', 'app.my-client.junovy.com', '--from', SAMPLE, '--now', NOW, '--unhealthy']);
    assert.equal(r.stdout, 'the domain is healthy\n');
    assert.equal(r.code, 0);
  });

  test('--summary prints one line per domain: health, host, environment and the most severe finding', async () => {
    const r = await cli(['check', 'checkout.acme.junovy.com', 'app.my-client.junovy.com', 'api.acme.junovy.com', '--from', SAMPLE, '--now', NOW, '--summary']);
    const byHost = new Map(analyze(loadDump(SAMPLE).snapshot, { now: new Date(NOW) }).domains.map((d) => [d.host, d]));
    const checkout = byHost.get('checkout.acme.junovy.com')!.findings;
    const api = byHost.get('api.acme.junovy.com')!.findings;
    // The engine lists findings most severe first: the critical one leads, the info ones never do.
    assert.deepEqual(checkout.map((f) => f.severity), ['critical', 'warning', 'warning', 'info']);
    const apiTop = api.find((f) => f.severity === 'warning')!;
    assert.equal(
      r.stdout,
      [
        // The two crash-looping Pods are one more fault, not two.
        `down      checkout.acme.junovy.com  hst-acme       service.no-ready-endpoints  ${checkout[0]!.message} (+1 more)`,
        `healthy   app.my-client.junovy.com  hst-my-client`,
        `degraded  api.acme.junovy.com       hst-acme       ${apiTop.code.padEnd('service.no-ready-endpoints'.length)}  ${apiTop.message}${api.filter((f) => f.severity !== 'info').length > 1 ? ` (+${api.filter((f) => f.severity !== 'info').length - 1} more)` : ''}`,
        '',
        '3 domains in 2 namespaces: 1 down, 1 degraded, 1 healthy',
        '',
      ].join('\n'),
    );
    assert.equal(r.code, 2);
  });

  test('counts relative times in a dump from when it was taken, not from when it is read', async () => {
    // The sample dump's newest stamp is 09:29:50; the tickets Pod last failed at 09:12:00.
    const host = ['check', 'tickets.initech.junovy.com', '--from', SAMPLE];
    const later = await cli(host, { now: '2027-06-01T00:00:00Z' });
    assert.match(later.stdout, /9 restarts \(last Error 18m ago\)/);
    assert.ok(later.stdout.endsWith('\nas of 2026-11-26T09:29:50Z, the newest time recorded in the dump (--now to change)\n'), later.stdout);
    // --now still decides when given, and says nothing about the dump's time.
    const asked = await cli([...host, '--now', '2026-11-26T10:12:00Z'], { now: '2027-06-01T00:00:00Z' });
    assert.match(asked.stdout, /\(last Error 60m ago\)/);
    assert.doesNotMatch(asked.stdout, /as of/);
    // A clock behind the dump's stamps is believed: nothing is counted from the future.
    const behind = await cli(host, { now: '2026-11-26T09:20:00Z' });
    assert.match(behind.stdout, /\(last Error 8m ago\)/);
    assert.doesNotMatch(behind.stdout, /as of/);
  });
});
