/** Phase 5: `chainboard check --from DUMP --no-probe --json` on a dump of the same cluster, timed, with its peak RSS. */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Bench } from './context';
import { ROOT } from './options';
import { procMemory, processTree } from './proc';
import { fmtMs } from './stats';

/** The CLI run's time, exit code and peak RSS. */
export interface CheckFigures {
  ms: number;
  exitCode: number;
  peakRss: number;
}

/** Runs the CLI on the dump, sampling its process tree's peak RSS every 100 ms. */
export async function measureCheck(bench: Bench, dumpDir: string): Promise<CheckFigures> {
  console.error('bench: chainboard check --from DUMP --no-probe --json > /dev/null ...');
  const t = performance.now();
  const cli = bench.processes.spawn(process.execPath, [join(ROOT, 'bin/chainboard.mjs'), 'check', '--from', dumpDir, '--no-probe', '--json'], { stdout: 'ignore', stderr: 'inherit', env: { ...process.env, CHAINBOARD_PROBE: 'off' } });
  let peakRss = 0;
  const sampler = setInterval(() => {
    if (!cli.pid) return;
    for (const pid of processTree(cli.pid)) peakRss = Math.max(peakRss, procMemory(pid)?.hwm || 0);
  }, 100);
  const exitCode = await new Promise<number>((r) => cli.on('exit', (c, sig) => r(c ?? (sig ? 128 : 3))));
  clearInterval(sampler);
  const ms = performance.now() - t;
  // 0 healthy, 1 degraded, 2 down: the broken share makes it 2. 3 is an error.
  if (exitCode > 2) bench.errors.push(`chainboard check exited ${exitCode}`);
  console.error(`bench: chainboard check took ${fmtMs(ms)} (exit ${exitCode})`);
  return { ms, exitCode, peakRss };
}
