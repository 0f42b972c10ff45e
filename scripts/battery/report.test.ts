import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { closingLine, fail, formatLine, ok, runCheck, skip, type Check, type Tally } from './report';

describe('battery lines', () => {
  test('each outcome is one line with its label, the name and the evidence', () => {
    assert.equal(formatLine('a-check', ok('3 of 3')), 'ok   a-check — 3 of 3');
    assert.equal(formatLine('a-check', fail('first\n  second')), 'FAIL a-check — first; second');
    assert.equal(formatLine('a-check', skip('pending')), 'skip a-check — pending');
  });

  test('the closing line counts passed and failed only, the form scripts/test-all.mjs reads', () => {
    assert.equal(closingLine({ passed: 12, failed: 3, skipped: 2 }), '12 passed, 3 failed');
    assert.match(closingLine({ passed: 12, failed: 3, skipped: 2 }), /^(\d+) passed, (\d+) failed$/);
  });

  test('a check that throws or overruns its deadline fails, with the reason, and its signal is aborted', async () => {
    const tally: Tally = { passed: 0, failed: 0, skipped: 0 };
    let aborted = false;
    const slow: Check<undefined> = {
      name: 'slow',
      timeoutMs: 50,
      run: (_ctx, signal) =>
        new Promise((resolve) => {
          signal.addEventListener('abort', () => (aborted = true));
          setTimeout(() => resolve(ok('late')), 1000).unref();
        }),
    };
    const throws: Check<undefined> = { name: 'throws', timeoutMs: 1000, run: async () => Promise.reject(new Error('boom')) };
    const skipped: Check<undefined> = { name: 'skipped', timeoutMs: 1000, run: async () => skip('not here') };
    const log = console.log;
    const lines: string[] = [];
    console.log = (line: string) => lines.push(line);
    try {
      assert.deepEqual(await runCheck(slow, undefined, tally), fail('did not finish within 0.05 s'));
      assert.deepEqual(await runCheck(throws, undefined, tally), fail('threw: boom'));
      await runCheck(skipped, undefined, tally);
    } finally {
      console.log = log;
    }
    assert.equal(aborted, true);
    assert.deepEqual(tally, { passed: 0, failed: 2, skipped: 1 });
    assert.deepEqual(lines, ['FAIL slow — did not finish within 0.05 s', 'FAIL throws — threw: boom', 'skip skipped — not here']);
  });
});
