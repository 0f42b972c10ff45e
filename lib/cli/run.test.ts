// The command in-process, with a fake terminal: colour decisions, the whole-cluster view and the errors
// that never reach the engine.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, mock, test } from 'node:test';
import { SERVICE_ACCOUNT_TOKEN } from '../cluster/kubeconfig';
import { run, type CliIO } from './run';

const SAMPLE = join(__dirname, '..', '..', 'samples', 'cluster');
const NOW = '2026-11-26T09:30:00Z';
const ESC = '\u001b[';

async function cli(argv: string[], { env = {}, isTTY = false }: { env?: Record<string, string>; isTTY?: boolean } = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    out: (t) => void (stdout += t),
    err: (t) => void (stderr += t),
    // Probes off unless a test turns them on: the sample dump has no TLS server behind its address.
    env: { CHAINBOARD_PROBE: 'off', ...env },
    isTTY,
    now: () => new Date(NOW),
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
    assert.equal(blocks.at(-1), '34 domains in 7 namespaces: 15 down, 10 degraded, 9 healthy');
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
});
