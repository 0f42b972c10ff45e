import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ListHolds } from './holds';

/** Whether `p` has settled after the pending microtasks and one timer turn. */
async function settled(p: Promise<void> | undefined): Promise<boolean> {
  if (!p) return true;
  let done = false;
  void p.then(() => (done = true));
  await new Promise((r) => setImmediate(r));
  return done;
}

describe('list holds', () => {
  it('leave a list unheld when none is in force', () => {
    assert.equal(new ListHolds().pending('tok'), undefined);
  });

  it('hold every client’s lists until the hold is ended, and list themselves meanwhile', async () => {
    const holds = new ListHolds();
    const before = Date.now();
    const end = holds.hold(30);
    const [info] = holds.list();
    assert.ok(info && info.token === undefined);
    assert.ok(Date.parse(info.until) >= before + 29_000);
    const waiting = holds.pending(undefined);
    assert.equal(await settled(waiting), false);
    end();
    assert.equal(await settled(waiting), true);
    assert.deepEqual(holds.list(), []);
    assert.equal(holds.pending(undefined), undefined);
  });

  it('hold only the lists sent with the given token', async () => {
    const holds = new ListHolds();
    holds.hold(30, { token: 'spec' });
    assert.equal(holds.pending('shared'), undefined);
    assert.equal(holds.pending(undefined), undefined);
    const held = holds.pending('spec');
    assert.equal(await settled(held), false);
    assert.deepEqual(holds.list().map((h) => h.token), ['spec']);
    holds.releaseAll();
    assert.equal(await settled(held), true);
  });

  it('answer a list only when every hold on it has ended', async () => {
    const holds = new ListHolds();
    const endAll = holds.hold(30);
    const endMine = holds.hold(30, { token: 'spec' });
    const held = holds.pending('spec');
    endAll();
    assert.equal(await settled(held), false);
    endMine();
    assert.equal(await settled(held), true);
  });

  it('end by themselves after the given time', async () => {
    const holds = new ListHolds();
    holds.hold(0.02);
    const held = holds.pending(undefined);
    // The hold's own timer is unref'd, so something else has to keep this process waiting for it.
    const alive = setTimeout(() => {}, 5000);
    await held;
    clearTimeout(alive);
    assert.deepEqual(holds.list(), []);
  });
});
