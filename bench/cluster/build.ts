/**
 * The production build the server runs: `next build` when .next/BUILD_ID is missing or older than the
 * sources, unless `--no-build` (then a stale build is used with a warning).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Bench } from './context';
import { ROOT } from './options';

/** The newest source file the build depends on (tests and fixtures do not count). */
function newestSourceMtime(): { mtime: number; file: string } {
  let best = { mtime: 0, file: '' };
  const visit = (p: string) => {
    let st;
    try {
      st = statSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      for (const name of readdirSync(p)) {
        if (name === 'node_modules' || name === '__fixtures__' || name.startsWith('.')) continue;
        visit(join(p, name));
      }
    } else if (/\.(tsx?|css|json|mjs|js|svg)$/.test(p) && !/\.test\.tsx?$/.test(p) && st.mtimeMs > best.mtime) best = { mtime: st.mtimeMs, file: p };
  };
  for (const p of ['app', 'components', 'lib', 'proxy.ts', 'next.config.js', 'package.json', 'tsconfig.json', 'postcss.config.mjs']) visit(join(ROOT, p));
  return best;
}

/** Makes sure an up-to-date production build exists; returns how the table describes it. */
export async function ensureBuild(bench: Bench): Promise<string> {
  const buildId = join(ROOT, '.next/BUILD_ID');
  const newest = newestSourceMtime();
  const built = existsSync(buildId) ? statSync(buildId).mtimeMs : undefined;
  if (built !== undefined && built >= newest.mtime) return 'existing production build (.next, up to date)';
  if (bench.options.noBuild) {
    if (built === undefined) throw new Error('no production build (.next/BUILD_ID): run `npm run build` first, or drop --no-build');
    const note = `existing production build, OLDER than ${newest.file.slice(ROOT.length + 1)} (--no-build)`;
    console.warn(`bench: warning: ${note}`);
    return note;
  }
  console.error(`bench: ${built === undefined ? 'no production build' : `the production build is older than ${newest.file.slice(ROOT.length + 1)}`}: running next build...`);
  const t = performance.now();
  // Telemetry off however the bench is started (npm's script sets it too): Chainboard never phones home.
  const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
  const child = bench.processes.spawn(process.execPath, [join(ROOT, 'node_modules/next/dist/bin/next'), 'build'], { env, stdout: 2, stderr: 'inherit' });
  const code = await new Promise<number>((r) => child.on('exit', (c) => r(c ?? 1)));
  if (code !== 0) throw new Error(`next build failed (exit ${code})`);
  return `built by the bench (next build, ${((performance.now() - t) / 1000).toFixed(0)} s)`;
}
