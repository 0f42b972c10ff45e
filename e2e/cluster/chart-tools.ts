/**
 * Where charts/build-tools.sh puts helm and promtool (its `--bin-dirs`), and a runner that fails with the
 * build command when a tool is missing: a test that needs them never passes without them.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SCRIPT = join(ROOT, 'charts', 'build-tools.sh');

/** Path of `helm` or `promtool` as built by charts/build-tools.sh; throws when it is not built. */
export function tool(name: 'helm' | 'promtool'): string {
  const dirs = execFileSync('bash', [SCRIPT, '--bin-dirs'], { encoding: 'utf8' });
  const dir = new RegExp(`^${name}=(.*)$`, 'm').exec(dirs)?.[1];
  const path = dir ? join(dir, name) : '';
  if (!path || !existsSync(path)) throw new Error(`${name} is not built (${path || 'no cache path'}): run \`bash charts/build-tools.sh\``);
  return path;
}

/**
 * The Prometheus Operator's ServiceMonitor and PrometheusRule CRDs that charts/build-tools.sh takes from the
 * prometheus-operator Go module; throws when they are not fetched.
 */
export function monitoringCrds(): string[] {
  const dirs = execFileSync('bash', [SCRIPT, '--bin-dirs'], { encoding: 'utf8' });
  const dir = /^crds=(.*)$/m.exec(dirs)?.[1] ?? '';
  const files = ['monitoring.coreos.com_servicemonitors.yaml', 'monitoring.coreos.com_prometheusrules.yaml'].map((f) => join(dir, f));
  for (const f of files) if (!existsSync(f)) throw new Error(`${f} is missing: run \`bash charts/build-tools.sh\``);
  return files;
}

export interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

// helm keeps a cache, config and data folder: give it an empty one of its own, never the user's.
let helmHome: string | undefined;

/** Runs a tool to its end (no shell), its output captured. */
export function run(name: 'helm' | 'promtool', args: string[], cwd = ROOT): Run {
  if (!helmHome) {
    const home = mkdtempSync(join(tmpdir(), 'chainboard-helm-'));
    process.on('exit', () => rmSync(home, { recursive: true, force: true }));
    helmHome = home;
  }
  const env = { ...process.env, HELM_CACHE_HOME: join(helmHome, 'cache'), HELM_CONFIG_HOME: join(helmHome, 'config'), HELM_DATA_HOME: join(helmHome, 'data') };
  const r = spawnSync(tool(name), args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env });
  if (r.error) throw r.error;
  return { status: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}
