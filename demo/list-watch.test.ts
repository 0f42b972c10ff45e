import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { listBody, pageLimit, parseScope } from './list-watch';
import { findResource, type ResourceType } from './resources';
import { ApiError } from './state';

const q = (query: string) => new URLSearchParams(query);
const pods = findResource('Pod') as ResourceType;

describe('list pages', () => {
  it('serve the whole list without a limit, even when the server has a page size', () => {
    assert.equal(pageLimit(q('')), undefined);
    assert.equal(pageLimit(q(''), 2), undefined);
  });

  it('take the client’s limit, at most the server’s page size; limit=0 asks for everything', () => {
    assert.equal(pageLimit(q('limit=5')), 5);
    assert.equal(pageLimit(q('limit=5'), 2), 2);
    assert.equal(pageLimit(q('limit=1'), 2), 1);
    assert.equal(pageLimit(q('limit=0')), 0);
    assert.equal(pageLimit(q('limit=0'), 2), 2);
  });

  it('refuse a limit that is not a whole number of at least 0 with 400', () => {
    for (const bad of ['-1', '1.5', 'x']) {
      assert.throws(
        () => pageLimit(q(`limit=${bad}`)),
        (e: ApiError) => e.code === 400 && e.message === `limit: Invalid value: "${bad}"`,
        bad,
      );
    }
  });

  it('are typed lists carrying continue and remainingItemCount only when there is more', () => {
    const item = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a', namespace: 'n', resourceVersion: '7' } };
    assert.deepEqual(listBody(pods, { resourceVersion: '9', items: [item] }), {
      kind: 'PodList',
      apiVersion: 'v1',
      metadata: { resourceVersion: '9' },
      items: [item],
    });
    assert.deepEqual(listBody(pods, { resourceVersion: '9', items: [], continue: 'tok', remainingItemCount: 3 }).metadata, {
      resourceVersion: '9',
      continue: 'tok',
      remainingItemCount: 3,
    });
  });
});

describe('list and watch scopes', () => {
  it('carry the resource, the namespace and the parsed selectors', () => {
    const scope = parseScope(pods, 'hst-acme', q('labelSelector=app%3Dweb&fieldSelector=spec.nodeName%3Dn1'));
    assert.equal(scope.resource, pods);
    assert.equal(scope.namespace, 'hst-acme');
    assert.ok(scope.labels.length > 0 && scope.fields.length > 0);
  });

  it('turn a selector the kind cannot serve into a 400 BadRequest', () => {
    assert.throws(
      () => parseScope(pods, undefined, q('fieldSelector=spec.nope%3Dx')),
      (e: ApiError) => e instanceof ApiError && e.code === 400 && e.reason === 'BadRequest',
    );
  });
});
