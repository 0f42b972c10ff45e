/**
 * The battery's checks and how their outcomes are printed: one line per check on stdout,
 * `ok  <name> — <evidence>`, `FAIL <name> — <what was seen>` or `skip <name> — <why>`, and a closing
 * `N passed, N failed` alone on its line. A skipped check counts neither way: it proved nothing.
 */

/** What one check found. `evidence` is what was measured, in words a reader can check. */
export interface Outcome {
  status: 'ok' | 'fail' | 'skip';
  evidence: string;
}

/** One check: a name for its line, a deadline, and the work. `signal` aborts at the deadline. */
export interface Check<Ctx> {
  name: string;
  timeoutMs: number;
  run(ctx: Ctx, signal: AbortSignal): Promise<Outcome>;
}

/** A passing outcome. */
export const ok = (evidence: string): Outcome => ({ status: 'ok', evidence });
/** A failing outcome. */
export const fail = (evidence: string): Outcome => ({ status: 'fail', evidence });
/** A check that could not run here; it counts neither as passed nor as failed. */
export const skip = (evidence: string): Outcome => ({ status: 'skip', evidence });
/** `ok` when `passed`, else `fail`, with the same evidence. */
export const verdict = (passed: boolean, evidence: string): Outcome => ({ status: passed ? 'ok' : 'fail', evidence });

/** The totals of a run. */
export interface Tally {
  passed: number;
  failed: number;
  skipped: number;
}

const LABEL: Record<Outcome['status'], string> = { ok: 'ok  ', fail: 'FAIL', skip: 'skip' };

/** The line of one outcome. Evidence is kept on one line. */
export function formatLine(name: string, outcome: Outcome): string {
  return `${LABEL[outcome.status]} ${name} — ${outcome.evidence.replace(/\s*\n\s*/g, '; ')}`;
}

/**
 * Runs `check` with its deadline and prints its line; a check that throws or overruns fails with the
 * reason. The signal is aborted at the deadline so the check's requests and children stop with it.
 */
export async function runCheck<Ctx>(check: Check<Ctx>, ctx: Ctx, tally: Tally): Promise<Outcome> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => {
      controller.abort(new Error('deadline'));
      resolve(fail(`did not finish within ${check.timeoutMs / 1000} s`));
    }, check.timeoutMs);
  });
  const started = Date.now();
  let outcome: Outcome;
  try {
    outcome = await Promise.race([check.run(ctx, controller.signal), deadline]);
  } catch (e) {
    outcome = fail(`threw: ${(e as Error).message}`);
  } finally {
    clearTimeout(timer);
    controller.abort(new Error('check finished'));
  }
  if (outcome.status === 'ok') tally.passed++;
  else if (outcome.status === 'fail') tally.failed++;
  else tally.skipped++;
  console.log(formatLine(check.name, outcome));
  process.stderr.write(`   (${check.name}: ${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  return outcome;
}

/** The closing line, alone on its line: what scripts/test-all.mjs counts. */
export function closingLine(t: Tally): string {
  return `${t.passed} passed, ${t.failed} failed`;
}
