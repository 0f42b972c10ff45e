// Every package the lockfile installs runs on the oldest Node the project supports, so `npm ci` on the
// documented Node prints no EBADENGINE warning and nothing is installed that refuses to run there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';

const root = join(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { engines?: { node?: string } | string[]; optional?: boolean }>;
};

test('every locked package accepts the oldest Node the project supports', () => {
  const oldest = semver.minVersion(pkg.engines.node);
  assert.ok(oldest, `package.json engines.node "${pkg.engines.node}" names a version`);
  const refusing: string[] = [];
  let checked = 0;
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path === '') continue;
    const range = !Array.isArray(entry.engines) ? entry.engines?.node : undefined;
    if (!range) continue;
    checked++;
    if (!semver.satisfies(oldest, range)) refusing.push(`${path.replace(/^node_modules\//, '')} wants node ${range}`);
  }
  assert.ok(checked > 10, `the lockfile records engines (${checked} packages with engines.node)`);
  assert.deepEqual(refusing, [], `packages refusing Node ${oldest.version}`);
});
