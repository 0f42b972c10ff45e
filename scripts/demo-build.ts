/**
 * The demo serves a production build, built once and rebuilt only when what it is built from changed.
 *
 * Staleness is decided by content, not by time: a fingerprint (SHA-256) of every input of `next build`
 * is recorded beside the build once it succeeds, and a build is current when the recorded fingerprint
 * equals the fingerprint of the sources now. File times would be wrong both ways: a checkout or a copy
 * can give an older time to a newer file, and an edit made while a build runs is older than the finished
 * build yet not in it. The fingerprint is taken before the build starts, so such an edit makes the next
 * run build again; the record is removed before a build and written only after it succeeded, so an
 * interrupted or failed build is never taken for a current one.
 *
 * The inputs are what Next compiles or reads to build: app/, components/ and lib/ (everything the app
 * imports; no module there imports from elsewhere in the repository), the root modules Next loads
 * (proxy.ts, instrumentation.ts, next.config.js, postcss.config.mjs), tsconfig.json, the package manifest
 * and lockfile (the versions of Next, React and every bundled library), the `.env*` files Next reads, the
 * Node version, and `NEXT_PUBLIC_*` variables (which Next inlines into the build). Test files are left
 * out: Next bundles only what the app imports, and nothing in the app imports a test.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Paths (relative to the project root) whose content the build is made from. */
export const BUILD_INPUTS = [
  'app',
  'components',
  'lib',
  'public',
  'proxy.ts',
  'instrumentation.ts',
  'next.config.js',
  'postcss.config.mjs',
  'tsconfig.json',
  'package.json',
  'package-lock.json',
  '.env',
  '.env.local',
  '.env.production',
  '.env.production.local',
] as const;

/** Where the fingerprint of the current build is kept: inside the build, so removing .next removes it. */
export const FINGERPRINT_FILE = join('.next', 'chainboard-build-inputs.sha256');

const TEST_FILE = /\.test\.tsx?$/;

function files(root: string, path: string): string[] {
  const full = join(root, path);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [path];
  return readdirSync(full)
    .filter((name) => name !== 'node_modules' && !TEST_FILE.test(name))
    .flatMap((name) => files(root, join(path, name)));
}

/** The fingerprint of the build inputs under `root` as they are now, for this Node and environment. */
export function buildFingerprint(root: string, env: Record<string, string | undefined> = process.env): string {
  const hash = createHash('sha256');
  hash.update(`node ${process.version}\n`);
  for (const [k, v] of Object.entries(env)
    .filter(([k]) => k.startsWith('NEXT_PUBLIC_'))
    .sort(([a], [b]) => a.localeCompare(b))) {
    hash.update(`env ${k}=${v ?? ''}\n`);
  }
  const all = BUILD_INPUTS.flatMap((p) => files(root, p))
    .map((p) => relative(root, join(root, p)).split('\\').join('/'))
    .sort();
  // Path and content hash per file: a renamed, added or removed file changes the fingerprint too.
  for (const p of all) hash.update(`file ${p} ${createHash('sha256').update(readFileSync(join(root, p))).digest('hex')}\n`);
  return hash.digest('hex');
}

/** Is there a production build of exactly the current sources? If not, why not (for the log line). */
export function buildStatus(root: string, env: Record<string, string | undefined> = process.env): { current: true } | { current: false; why: string } {
  if (!existsSync(join(root, '.next', 'BUILD_ID'))) return { current: false, why: 'no production build yet' };
  const recorded = existsSync(join(root, FINGERPRINT_FILE)) ? readFileSync(join(root, FINGERPRINT_FILE), 'utf8').trim() : '';
  if (!recorded) return { current: false, why: 'the production build was not made by the demo, so what it was built from is not known' };
  if (recorded !== buildFingerprint(root, env)) return { current: false, why: 'the sources changed since the last build' };
  return { current: true };
}

/**
 * Build when the build is not current, then record what it was built from. Resolves to the exit code of
 * `next build` (0 when no build was needed).
 */
export async function ensureProductionBuild(root: string, env: Record<string, string | undefined>, log: (line: string) => void = console.log): Promise<number> {
  const status = buildStatus(root, env);
  if (status.current) {
    log('Production build is current (its sources have not changed since it was built): serving it.');
    return 0;
  }
  log(`Building the production app (${status.why}): a minute or two, once; later runs reuse it until the sources change...`);
  const fingerprint = buildFingerprint(root, env);
  rmSync(join(root, FINGERPRINT_FILE), { force: true });
  const next = join(root, 'node_modules/next/dist/bin/next');
  const build = spawn(process.execPath, [next, 'build'], { cwd: root, stdio: 'inherit', env: { ...(env as NodeJS.ProcessEnv), NEXT_TELEMETRY_DISABLED: '1' } });
  const code = await new Promise<number>((r) => build.on('exit', (c) => r(c ?? 1)));
  if (code === 0) writeFileSync(join(root, FINGERPRINT_FILE), `${fingerprint}\n`);
  return code;
}
