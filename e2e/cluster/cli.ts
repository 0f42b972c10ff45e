/**
 * `chainboard check` run as users run it: `node bin/chainboard.mjs check ... --json` in a child process,
 * its JSON read back. Tests against the real control plane and a real Traefik use it to see Chainboard's
 * own findings for a host, produced by real requests, real DNS answers and Traefik's real API.
 */
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DomainDetail } from '../../lib/api/types';
import type { CheckJson } from '../../lib/cli/run';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CHAINBOARD_CLI = join(ROOT, 'bin', 'chainboard.mjs');

export interface CliRun {
  /** The exit code (0 healthy, 1 degraded, 2 down, 3 error or unknown). */
  exit: number;
  json: CheckJson;
  stderr: string;
}

/**
 * The child's environment: the caller's own, less every variable that would configure Chainboard
 * (CHAINBOARD_*, KUBECONFIG), so only the flags and `env` given here decide what it reads and dials.
 */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  for (const k of Object.keys(out)) if (k.startsWith('CHAINBOARD_') || k === 'KUBECONFIG') delete out[k];
  return Object.assign(out, env);
}

/**
 * Runs `chainboard check ARGS --json` and parses its output. Rejects when it cannot start, is killed,
 * or prints no JSON; a non-zero exit code is an answer (an unhealthy domain), not a failure.
 */
export function chainboardCheck(args: readonly string[], opts: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [CHAINBOARD_CLI, 'check', ...args, '--json'],
      { cwd: ROOT, env: childEnv(opts.env ?? {}), timeout: opts.timeoutMs ?? 90_000, maxBuffer: 32 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? error.code : 0;
        if (typeof code !== 'number') {
          reject(new Error(`chainboard check did not finish (${error?.signal ?? error?.message}): ${stderr.slice(-2000)}`));
          return;
        }
        try {
          resolve({ exit: code, json: JSON.parse(stdout) as CheckJson, stderr });
        } catch (e) {
          reject(new Error(`chainboard check (exit ${code}) printed no JSON (${(e as Error).message}): ${stdout.slice(0, 500)} ${stderr.slice(-2000)}`));
        }
      },
    );
  });
}

/** The codes of a domain's findings, each once, sorted. */
export const findingCodes = (d: DomainDetail): string[] => [...new Set(d.findings.map((f) => f.code))].sort();
