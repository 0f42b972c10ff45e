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

/** Where a probed `chainboard check` of one host reads the cluster and dials: all on 127.0.0.1. */
export interface ProbedCheckOptions {
  kubeconfig: string;
  /** The ingress controller's websecure entrypoint (--probe-address, --probe-port). */
  through: { host: string; port: number };
  /** The CA that signed the host's certificate (--probe-ca-file). */
  caFile: string;
  /** The test's DNS server (--dns-server): never the machine's resolver. */
  dnsServer: string;
  /** Traefik's API (--traefik-api), when its view is read. */
  traefikApi?: string;
  /** CHAINBOARD_* switches, e.g. CHAINBOARD_GATEWAY_API. */
  env?: Record<string, string>;
}

/**
 * `chainboard check HOST --json` with the probes through a local controller, and the host's domain from
 * its answer. Rejects when Chainboard reports errors or shows no such domain, naming what it did show.
 */
export async function checkHost(host: string, o: ProbedCheckOptions): Promise<{ exit: number; domain: DomainDetail; codes: string[] }> {
  const run = await chainboardCheck(
    [
      host,
      '--kubeconfig', o.kubeconfig,
      ...(o.traefikApi ? ['--traefik-api', o.traefikApi] : []),
      '--probe-address', o.through.host,
      '--probe-port', String(o.through.port),
      '--probe-ca-file', o.caFile,
      '--dns-server', o.dnsServer,
      // The machine is shared and loaded: a slow answer must not read as a timeout.
      '--probe-timeout-ms', '10000',
      '--http-slow-ms', '30000',
    ],
    { env: o.env ?? {} },
  );
  if (run.json.errors.length > 0) throw new Error(`chainboard check reported errors (exit ${run.exit}): ${JSON.stringify(run.json.errors)}`);
  const domain = run.json.domains.find((d) => d.host === host);
  if (!domain) throw new Error(`chainboard check shows no domain ${host} (exit ${run.exit}): ${run.json.domains.map((d) => d.host).join(', ') || 'none'}`);
  return { exit: run.exit, domain, codes: findingCodes(domain) };
}
