#!/usr/bin/env node
// Runs every *.test.ts under the given folders with node's test runner (Node 20 has no glob support in
// `node --test`). `--conditions=react-server` lets modules that `import 'server-only'` load outside Next.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const roots = args.filter((a) => !a.startsWith('--'));
const passthrough = args.filter((a) => a.startsWith('--'));
const skip = new Set(['node_modules', '.next', '.git', 'test-results', 'playwright-report']);

function find(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    if (skip.has(name)) continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...find(full));
    else if (/\.test\.tsx?$/.test(name)) out.push(full);
  }
  return out;
}

const files = (roots.length ? roots : ['lib', 'demo', 'components', 'deploy', 'scripts', 'charts']).flatMap((r) => {
  try {
    return statSync(r).isDirectory() ? find(r) : [r];
  } catch {
    return [];
  }
});
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
// A hung test fails after 3 minutes instead of stalling the run; slow suites set their own timeouts.
const timeout = passthrough.some((a) => a.startsWith('--test-timeout')) ? [] : ['--test-timeout=180000'];
const r = spawnSync(process.execPath, ['--conditions=react-server', '--import', 'tsx', '--test', ...timeout, ...passthrough, ...files], {
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
