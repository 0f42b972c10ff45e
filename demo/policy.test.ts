import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AccessPolicy, type Access } from './policy';
import { findResource, type ResourceType } from './resources';
import { ApiError } from './state';

const resource = (kind: string): ResourceType => {
  const r = findResource(kind);
  assert.ok(r, kind);
  return r;
};

const access = (over: Partial<Access> = {}): Access => ({
  token: 'tok',
  verb: 'list',
  resource: resource('Pod'),
  namespace: 'hst-acme',
  name: undefined,
  ...over,
});

/** The ApiError a policy throws for `a`, or undefined when it lets `a` through. */
function refusal(policy: AccessPolicy, a: Access): ApiError | undefined {
  try {
    policy.authorize(a);
    return undefined;
  } catch (e) {
    assert.ok(e instanceof ApiError);
    return e;
  }
}

describe('the demo access policy', () => {
  it('lets everything through without rules', () => {
    assert.equal(refusal(new AccessPolicy(), access()), undefined);
  });

  it('refuses with the 403 Status a real API server sends, naming the user of the token', () => {
    const policy = new AccessPolicy({ users: { tok: 'system:serviceaccount:chainboard:reader' }, forbid: [{ namespace: 'hst-acme' }] });
    const e = refusal(policy, access({ verb: 'get', name: 'web-1' }));
    assert.equal(e?.code, 403);
    assert.equal(e?.reason, 'Forbidden');
    assert.equal(
      e?.message,
      'pods "web-1" is forbidden: User "system:serviceaccount:chainboard:reader" cannot get resource "pods" in API group "" in the namespace "hst-acme"',
    );
    assert.deepEqual(e?.details, { name: 'web-1', kind: 'pods' });
  });

  it('names the group of a grouped resource, an unknown token demo-user and no token system:anonymous', () => {
    const policy = new AccessPolicy({ forbid: [{ kind: 'Ingress' }] });
    const ingresses = resource('Ingress');
    const e = refusal(policy, access({ resource: ingresses, namespace: undefined }));
    assert.equal(e?.message, 'ingresses.networking.k8s.io is forbidden: User "demo-user" cannot list resource "ingresses" in API group "networking.k8s.io" at the cluster scope');
    assert.deepEqual(e?.details, { group: 'networking.k8s.io', kind: 'ingresses' });
    assert.match(refusal(policy, access({ resource: ingresses, token: undefined }))?.message ?? '', /User "system:anonymous"/);
  });

  it('matches a rule on token, verb or verbs, kind or plural, and namespace', () => {
    const cases: Array<[Parameters<AccessPolicy['forbid']>[0], Partial<Access>, boolean]> = [
      [{ token: 'tok' }, {}, true],
      [{ token: 'other' }, {}, false],
      [{ verb: 'list' }, {}, true],
      [{ verb: ['get', 'watch'] }, {}, false],
      [{ verb: ['get', 'watch'] }, { verb: 'watch' }, true],
      [{ kind: 'Pod' }, {}, true],
      [{ kind: 'pods' }, {}, true],
      [{ kind: 'Service' }, {}, false],
      [{ namespace: 'hst-acme' }, {}, true],
      [{ namespace: 'hst-globex' }, {}, false],
      [{ namespace: null }, {}, false],
      [{ namespace: null }, { namespace: undefined }, true],
    ];
    for (const [rule, over, refused] of cases) {
      const policy = new AccessPolicy();
      policy.forbid(rule);
      assert.equal(refusal(policy, access(over)) !== undefined, refused, JSON.stringify({ rule, over }));
    }
  });

  it('removes one rule through the function forbid returns, and every rule with allowAll', () => {
    const policy = new AccessPolicy({ forbid: [{ kind: 'Service' }] });
    const remove = policy.forbid({ kind: 'Pod' });
    assert.equal(policy.size, 2);
    assert.ok(refusal(policy, access()));
    remove();
    remove();
    assert.equal(policy.size, 1);
    assert.equal(refusal(policy, access()), undefined);
    policy.allowAll();
    assert.equal(policy.size, 0);
  });

  it('asks for a token only when told to, with a 401', () => {
    assert.doesNotThrow(() => new AccessPolicy().authenticate(undefined));
    const strict = new AccessPolicy({ requireToken: true });
    assert.doesNotThrow(() => strict.authenticate('tok'));
    assert.throws(() => strict.authenticate(undefined), (e: ApiError) => e.code === 401 && e.reason === 'Unauthorized');
  });
});
