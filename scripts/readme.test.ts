// The README is for users: every finding code they may meet must be explained there, and the two
// set-up commands must be the ones package.json and CI actually run.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { RULES } from '../lib/chain';

const ROOT = join(__dirname, '..');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

test('every finding code of the catalogue is listed in the README with its severity', () => {
  for (const r of RULES) {
    const row = readme.split('\n').find((l) => l.startsWith(`| \`${r.code}\` |`));
    assert.ok(row, `README lists ${r.code}`);
    assert.ok(row.includes(`| ${r.severity.split(' ')[0]} |`), `README gives ${r.code} its severity ${r.severity}`);
  }
});

test('the README\'s two commands exist: npm run demo and npm test, and CI runs npm test', () => {
  assert.match(readme, /^npm ci && npm run demo /m);
  assert.match(readme, /^npm test /m);
  assert.ok(pkg.scripts.demo && pkg.scripts.test);
  assert.match(readFileSync(join(ROOT, '.ci/run'), 'utf8'), /^npm test$/m);
});
