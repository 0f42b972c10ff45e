/**
 * `npm run battery`: the attacks Chainboard was put through, re-run from outside against a demo cluster
 * and production server of its own (scripts/battery/env.ts), so what held stays true and what was fixed
 * stays fixed. One line per check on stdout, then `N passed, N failed`; exit code 1 when any failed.
 * Progress, build and server output go to stderr.
 *
 *   npm run battery [-- --with-bench] [--build] [--only NAME[,NAME]]
 *
 * --with-bench (or BATTERY_BENCH=1) adds the benchmark's smoke run (about a minute); --build rebuilds the
 * app even when .next holds a build; --only runs the checks whose names contain one of the given words.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { authProtectedCheck, authPublicCheck, loginThrottleCheck } from './auth';
import { ensureBuild, startEnv, type BatteryEnv } from './env';
import { malformedEscapesCheck, pageMethodsCheck, pageStatusCheck } from './hardening';
import { domainLoadCheck, overviewLoadCheck, pageOverloadCheck } from './load';
import { closingLine, fail, formatLine, runCheck, type Check, type Tally } from './report';
import { secretsCheck } from './secrets';
import { longLivedShareCheck } from './share';
import { ssrfCheck } from './ssrf';
import { benchCleanCheck, benchWanted, telemetryCheck } from './static';
import { frozenWatchCheck, resetDeleteCheck } from './watch';
import { xssCheck } from './xss';

/**
 * The lock every build and run of Next in this checkout takes: while the battery's server reads .next, no
 * build may replace it.
 */
const NEXT_LOCK = process.env.CHAINBOARD_NEXT_LOCK ?? '/tmp/chainboard-next.lock';
/** The longest the battery waits for that lock before giving up. */
const LOCK_WAIT_S = 900;

/** The checks against the running server, in order: the load and state-changing ones last. */
const SERVER_CHECKS: Check<BatteryEnv>[] = [
  ssrfCheck,
  xssCheck,
  secretsCheck,
  authProtectedCheck,
  authPublicCheck,
  malformedEscapesCheck,
  pageStatusCheck,
  pageMethodsCheck,
  longLivedShareCheck,
  overviewLoadCheck,
  domainLoadCheck,
  pageOverloadCheck,
  loginThrottleCheck,
  frozenWatchCheck,
  resetDeleteCheck,
];

/** Runs this script again under `flock`, when the lock is not held yet and flock exists. */
function reexecUnderLock(): number | undefined {
  if (process.env.BATTERY_LOCK_HELD === '1' || !existsSync('/usr/bin/flock')) return undefined;
  const args = ['-w', String(LOCK_WAIT_S), NEXT_LOCK, process.execPath, ...process.execArgv, ...process.argv.slice(1)];
  const r = spawnSync('flock', args, { stdio: 'inherit', env: { ...process.env, BATTERY_LOCK_HELD: '1' } });
  return r.status ?? 1;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { 'with-bench': { type: 'boolean', default: false }, build: { type: 'boolean', default: false }, only: { type: 'string' } },
  });
  const only = values.only?.split(',').filter(Boolean);
  const wanted = <C>(c: Check<C>) => !only || only.some((w) => c.name.includes(w));
  const tally: Tally = { passed: 0, failed: 0, skipped: 0 };
  const started = Date.now();

  for (const check of [telemetryCheck].filter(wanted)) await runCheck(check, undefined, tally);

  const serverChecks = SERVER_CHECKS.filter(wanted);
  if (serverChecks.length) {
    let env: BatteryEnv | undefined;
    try {
      await ensureBuild(values.build);
      process.stderr.write('battery: starting the demo cluster and the production server...\n');
      env = await startEnv();
      process.stderr.write(`battery: server ${env.url}, ${env.hosts.length} hosts in ${env.namespaces.length} environments\n`);
    } catch (e) {
      const why = `the demo cluster and server did not start: ${(e as Error).message.split('\n')[0]}`;
      for (const check of serverChecks) {
        tally.failed++;
        console.log(formatLine(check.name, fail(why)));
      }
    }
    if (env) {
      const stop = () => void env?.close().finally(() => process.exit(130));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      try {
        for (const check of serverChecks) await runCheck(check, env, tally);
      } finally {
        await env.close();
      }
    }
  }

  const bench = benchCleanCheck(benchWanted(process.argv) || values['with-bench']);
  if (wanted(bench)) await runCheck(bench, undefined, tally);

  process.stderr.write(`battery: ${tally.skipped} skipped (counted neither way), ${Math.round((Date.now() - started) / 1000)} s\n`);
  console.log(closingLine(tally));
  return tally.failed ? 1 : 0;
}

const locked = reexecUnderLock();
if (locked !== undefined) process.exit(locked);
main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`battery: ${(e as Error).stack ?? String(e)}`);
    console.log(closingLine({ passed: 0, failed: 1, skipped: 0 }));
    process.exit(1);
  },
);
