import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cachedObjects, cacheSize, emptyCache, reduce, type CacheEvent, type CacheState } from './reducer';

type O = { metadata: { name: string; namespace?: string; resourceVersion?: string; uid?: string }; v?: number };
const o = (ns: string | undefined, name: string, rv: string, v?: number): O => ({ metadata: { name, ...(ns ? { namespace: ns } : {}), resourceVersion: rv, uid: `uid-${ns}-${name}` }, ...(v !== undefined ? { v } : {}) });

function run(events: CacheEvent<O>[], from: CacheState<O> = emptyCache<O>()) {
  let state = from;
  const changes: string[] = [];
  for (const e of events) {
    const r = reduce(state, e);
    state = r.state;
    changes.push(...r.changes.map((c) => `${c.type} ${c.namespace}/${c.name}`));
  }
  return { state, changes };
}
const names = (s: CacheState<O>) => [...cachedObjects(s)].map((x) => `${x.metadata.namespace ?? ''}/${x.metadata.name}@${x.metadata.resourceVersion}`).sort();

describe('the watch cache reducer', () => {
  it('adds, modifies and deletes objects and follows the events resourceVersion', () => {
    const { state, changes } = run([
      { type: 'RELIST', items: [], resourceVersion: '10' },
      { type: 'ADDED', object: o('a', 'web', '11') },
      { type: 'MODIFIED', object: o('a', 'web', '12', 2) },
      { type: 'ADDED', object: o('b', 'api', '13') },
      { type: 'DELETED', object: o('a', 'web', '14') },
    ]);
    assert.deepEqual(changes, ['added a/web', 'modified a/web', 'added b/api', 'deleted a/web']);
    assert.deepEqual(names(state), ['b/api@13']);
    assert.equal(state.resourceVersion, '14');
    assert.equal(state.objects.has('a'), false, 'an emptied namespace leaves no empty map behind');
  });

  it('treats a repeated event of the same resourceVersion as no change', () => {
    const { changes } = run([
      { type: 'ADDED', object: o('a', 'web', '5') },
      { type: 'MODIFIED', object: o('a', 'web', '5') },
      { type: 'ADDED', object: o('a', 'web', '5') },
    ]);
    assert.deepEqual(changes, ['added a/web']);
  });

  it('compares resourceVersions with === only, never by order', () => {
    // "9" after "10" is a different version, not an older one: opaque strings cannot be ordered.
    const { state, changes } = run([
      { type: 'ADDED', object: o('a', 'web', '10', 1) },
      { type: 'MODIFIED', object: o('a', 'web', '9', 2) },
      { type: 'MODIFIED', object: o('a', 'web', 'opaque-Zm9v', 3) },
    ]);
    assert.deepEqual(changes, ['added a/web', 'modified a/web', 'modified a/web']);
    assert.equal([...cachedObjects(state)][0]!.v, 3);
    assert.equal(state.resourceVersion, 'opaque-Zm9v');
  });

  it('ignores a DELETED for an object it never had, but still moves the resourceVersion', () => {
    const { state, changes } = run([{ type: 'DELETED', object: o('a', 'ghost', '7') }]);
    assert.deepEqual(changes, []);
    assert.equal(state.resourceVersion, '7');
  });

  it('moves only the resourceVersion on BOOKMARK and forgets it on EXPIRED', () => {
    const { state } = run([{ type: 'ADDED', object: o('a', 'web', '3') }, { type: 'BOOKMARK', resourceVersion: '99' }]);
    assert.equal(state.resourceVersion, '99');
    assert.equal(cacheSize(state), 1);
    const expired = reduce(state, { type: 'EXPIRED' });
    assert.equal(expired.state.resourceVersion, '');
    assert.equal(cacheSize(expired.state), 1, 'the data stays until the relist replaces it');
    assert.deepEqual(expired.changes, []);
  });

  it('replaces the whole scope on RELIST and reports exactly the difference: no ghosts, no duplicates', () => {
    const before = run([
      { type: 'RELIST', items: [o('a', 'keep', '1'), o('a', 'change', '1'), o('a', 'gone', '1'), o('b', 'gone-too', '1')], resourceVersion: '1' },
    ]).state;
    const { state, changes } = run(
      [{ type: 'RELIST', items: [o('a', 'keep', '1'), o('a', 'change', '5'), o('c', 'new', '6'), o('c', 'new', '6')], resourceVersion: '7' }],
      before,
    );
    assert.deepEqual(changes.sort(), ['added c/new', 'deleted a/gone', 'deleted b/gone-too', 'modified a/change']);
    assert.deepEqual(names(state), ['a/change@5', 'a/keep@1', 'c/new@6']);
    assert.equal(state.resourceVersion, '7');
    assert.equal(state.listed, true);
  });

  it('shares unchanged namespaces with the previous state and never mutates it', () => {
    const s1 = run([{ type: 'RELIST', items: [o('a', 'x', '1'), o('b', 'y', '1')], resourceVersion: '1' }]).state;
    const snapshot = JSON.stringify(names(s1));
    const s2 = reduce(s1, { type: 'MODIFIED', object: o('a', 'x', '2') }).state;
    assert.equal(JSON.stringify(names(s1)), snapshot, 'the old state still reads as before');
    assert.equal(s2.objects.get('b'), s1.objects.get('b'), 'namespace b is shared, not copied');
    assert.notEqual(s2.objects.get('a'), s1.objects.get('a'));
    const s3 = reduce(s2, { type: 'RELIST', items: [o('a', 'x', '2'), o('b', 'y', '1')], resourceVersion: '3' }).state;
    assert.equal(s3.objects.get('a'), s2.objects.get('a'), 'an unchanged relist keeps the same maps');
  });

  it('keeps cluster-scoped objects under the empty namespace', () => {
    const { state, changes } = run([{ type: 'ADDED', object: o(undefined, 'traefik-external', '1') }]);
    assert.deepEqual(changes, ['added /traefik-external']);
    assert.ok(state.objects.get('')?.has('traefik-external'));
  });

  it('sees a re-created object with a new uid as a modification even if the resourceVersion string repeats', () => {
    const first = o('a', 'web', '4');
    const recreated = { ...o('a', 'web', '4'), metadata: { ...o('a', 'web', '4').metadata, uid: 'other-uid' } };
    const { changes } = run([{ type: 'ADDED', object: first }, { type: 'ADDED', object: recreated }]);
    assert.deepEqual(changes, ['added a/web', 'modified a/web']);
  });
});
