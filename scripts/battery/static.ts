/**
 * Checks that need no running server: Next's telemetry is off in every way this project starts Next
 * (scripts/telemetry.test.ts follows each npm script, the programs it runs, CI and the Dockerfile; the
 * battery runs it as its static check), and the benchmark's smoke run leaves the work tree as it was.
 */
import { spawn } from 'node:child_process';
import { ROOT } from './env';
import { skip, verdict, type Check } from './report';

/** Runs a command in the project root; its output is returned, capped, and it is killed on `signal`. */
function run(cmd: string, args: string[], signal: AbortSignal, env: Record<string, string> = {}): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], signal, env: { ...process.env, ...env } });
    let out = '';
    const keep = (c: Buffer) => (out = (out + c.toString()).slice(-200_000));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

/** Next's telemetry is off in every npm script, program, CI step and image stage that starts Next. */
export const telemetryCheck: Check<undefined> = {
  name: 'next-telemetry-off-everywhere',
  timeoutMs: 60_000,
  async run(_ctx, signal) {
    const r = await run(process.execPath, ['--conditions=react-server', '--import', 'tsx', '--test', '--test-reporter=tap', 'scripts/telemetry.test.ts'], signal);
    const pass = Number(/^# pass (\d+)$/m.exec(r.out)?.[1] ?? 0);
    const failed = [...r.out.matchAll(/^\s*not ok \d+ - (.+)$/gm)].map((m) => m[1]).filter((n) => n !== 'Next.js telemetry');
    const passedNames = [...r.out.matchAll(/^\s{4}ok \d+ - (.+)$/gm)].map((m) => m[1]);
    const evidence = failed.length
      ? `scripts/telemetry.test.ts: ${failed.length} failed: ${failed.join('; ')}`
      : `scripts/telemetry.test.ts: ${pass} static checks passed (${passedNames.join('; ')})`;
    return verdict(r.code === 0 && pass > 0 && !failed.length, evidence);
  },
};

/** Whether the benchmark's smoke run is asked for: `--with-bench` or BATTERY_BENCH=1. */
export function benchWanted(argv: readonly string[]): boolean {
  return argv.includes('--with-bench') || process.env.BATTERY_BENCH === '1';
}

/** `npm run bench -- --small` leaves `git status --porcelain` as it was. Run only on request. */
export function benchCleanCheck(wanted: boolean): Check<undefined> {
  return {
    name: 'bench-small-leaves-tree-clean',
    timeoutMs: 300_000,
    async run(_ctx, signal) {
      if (!wanted) return skip('not run: takes one to three minutes; `npm run battery -- --with-bench` or BATTERY_BENCH=1 runs it');
      const status = async () => (await run('git', ['status', '--porcelain'], signal)).out.split('\n').filter(Boolean).sort();
      const before = await status();
      const bench = await run('npm', ['run', 'bench', '--', '--small'], signal, { NEXT_TELEMETRY_DISABLED: '1' });
      const after = await status();
      const appeared = after.filter((l) => !before.includes(l));
      const vanished = before.filter((l) => !after.includes(l));
      if (bench.code !== 0) return verdict(false, `npm run bench -- --small exited ${bench.code}: ${bench.out.trim().split('\n').slice(-3).join(' | ')}`);
      const evidence = appeared.length || vanished.length
        ? `git status changed during the run (other edits in this checkout show here too): new ${appeared.join(', ') || 'none'}; gone ${vanished.join(', ') || 'none'}`
        : `git status --porcelain unchanged (${before.length} entries before and after)`;
      return verdict(!appeared.length && !vanished.length, evidence);
    },
  };
}
