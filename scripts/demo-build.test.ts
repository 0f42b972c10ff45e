import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { buildFingerprint, buildStatus, ensureProductionBuild, FINGERPRINT_FILE } from './demo-build';

let root: string;
const write = (path: string, text: string) => {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
};
/** How many times the fake `next build` ran, and with which telemetry setting. */
const builds = () => (existsSync(join(root, 'builds.log')) ? readFileSync(join(root, 'builds.log'), 'utf8').trim().split('\n') : []);

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'chainboard-demo-build-'));
  write('app/page.tsx', 'export default function Page() { return null; }\n');
  write('lib/chain/analyze.ts', 'export const x = 1;\n');
  write('lib/chain/analyze.test.ts', 'test\n');
  write('package-lock.json', '{}\n');
  // A stand-in for Next's CLI: records the build, fails when asked to, else leaves a build behind as Next does.
  write(
    'node_modules/next/dist/bin/next',
    `const fs = require('node:fs');
     fs.appendFileSync('builds.log', process.argv[2] + ' telemetry-disabled=' + process.env.NEXT_TELEMETRY_DISABLED + '\\n');
     if (fs.existsSync('fail-build')) process.exit(1);
     fs.mkdirSync('.next', { recursive: true });
     fs.writeFileSync('.next/BUILD_ID', 'b' + Date.now());`,
  );
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const quiet = () => undefined;

describe('the demo production build', () => {
  test('is built on the first run, reused on the next, and rebuilt once its sources change', async () => {
    assert.deepEqual(buildStatus(root, {}), { current: false, why: 'no production build yet' });
    assert.equal(await ensureProductionBuild(root, {}, quiet), 0);
    assert.deepEqual(builds(), ['build telemetry-disabled=1']);
    assert.deepEqual(buildStatus(root, {}), { current: true });

    assert.equal(await ensureProductionBuild(root, {}, quiet), 0);
    assert.equal(builds().length, 1, 'a current build is served as it is');

    write('lib/chain/analyze.ts', 'export const x = 2;\n');
    assert.deepEqual(buildStatus(root, {}), { current: false, why: 'the sources changed since the last build' });
    await ensureProductionBuild(root, {}, quiet);
    assert.equal(builds().length, 2);
    assert.deepEqual(buildStatus(root, {}), { current: true });
  });

  test('is judged by content: a touched file is not a change, an added, removed or renamed one is', async () => {
    await ensureProductionBuild(root, {}, quiet);
    const future = new Date(Date.now() + 3600_000);
    utimesSync(join(root, 'app/page.tsx'), future, future);
    assert.deepEqual(buildStatus(root, {}), { current: true });

    const before = buildFingerprint(root, {});
    write('components/new.tsx', 'export {};\n');
    assert.notEqual(buildFingerprint(root, {}), before, 'added');
    rmSync(join(root, 'components/new.tsx'));
    assert.equal(buildFingerprint(root, {}), before);
    rmSync(join(root, 'lib/chain/analyze.ts'));
    write('lib/chain/analyse.ts', 'export const x = 1;\n');
    assert.notEqual(buildFingerprint(root, {}), before, 'renamed');
  });

  test('is not rebuilt for a changed test file, which the app never imports', async () => {
    await ensureProductionBuild(root, {}, quiet);
    write('lib/chain/analyze.test.ts', 'another test\n');
    assert.deepEqual(buildStatus(root, {}), { current: true });
  });

  test('is rebuilt when a NEXT_PUBLIC_ variable, which Next inlines, differs', async () => {
    await ensureProductionBuild(root, { NEXT_PUBLIC_X: 'a' }, quiet);
    assert.deepEqual(buildStatus(root, { NEXT_PUBLIC_X: 'a', OTHER: 'ignored' }), { current: true });
    assert.equal(buildStatus(root, { NEXT_PUBLIC_X: 'b' }).current, false);
  });

  test('made by anything else than the demo (no record of its sources) is rebuilt once', async () => {
    write('.next/BUILD_ID', 'by-hand');
    assert.equal(buildStatus(root, {}).current, false);
    await ensureProductionBuild(root, {}, quiet);
    assert.deepEqual(buildStatus(root, {}), { current: true });
  });

  test('that failed, or was stopped half way, is never taken for a current one', async () => {
    await ensureProductionBuild(root, {}, quiet);
    write('app/page.tsx', 'broken(\n');
    write('fail-build', '');
    assert.equal(await ensureProductionBuild(root, {}, quiet), 1);
    assert.ok(!existsSync(join(root, FINGERPRINT_FILE)), 'the old record is gone with the failed build');
    // The old .next/BUILD_ID is still there, yet the build is not current.
    assert.equal(buildStatus(root, {}).current, false);
    rmSync(join(root, 'fail-build'));
    assert.equal(await ensureProductionBuild(root, {}, quiet), 0);
    assert.deepEqual(buildStatus(root, {}), { current: true });
  });
});
