import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadRawObjects } from './load';
import { ClusterState } from './state';
import { pickTarget, podsOf, slicesOf, type TargetScope } from './timeline-targets';
import { FIXTURE_DUMP } from './testing';

const ALL: TargetScope = { prefix: 'hst-', exclude: new Set() };

function seeded(): ClusterState {
  const state = new ClusterState();
  state.seed(loadRawObjects(FIXTURE_DUMP).objects);
  return state;
}

const picked = (state: ClusterState, act: string, rank: number, scope = ALL) => {
  const t = pickTarget(state, act, rank, scope);
  return t && `${t.namespace}/${t.service.metadata.name}`;
};

describe('the timeline’s choice of Service', () => {
  it('spreads the acts over namespaces, among Services an Ingress routes to', () => {
    const state = seeded();
    assert.deepEqual(
      [picked(state, 'rollout', 0), picked(state, 'crashloop', 1), picked(state, 'scale', 2)],
      ['hst-acme/api', 'hst-globex/web', 'hst-my-client/web'],
    );
  });

  it('takes a Service labelled for the act first', () => {
    const state = seeded();
    state.patch('Service', 'hst-globex', 'web', { metadata: { annotations: { 'chainboard.dev/timeline': 'scale' } } });
    assert.equal(picked(state, 'scale', 2), 'hst-globex/web');
  });

  it('leaves excluded namespaces, other prefixes and Services with an unready Pod alone', () => {
    const state = seeded();
    assert.equal(picked(state, 'rollout', 0, { prefix: 'hst-', exclude: new Set(['hst-acme', 'hst-globex', 'hst-my-client']) }), undefined);
    assert.equal(picked(state, 'rollout', 0, { prefix: 'prod-', exclude: new Set() }), undefined);
    const target = pickTarget(state, 'rollout', 0, ALL);
    assert.ok(target);
    const [pod] = podsOf(state, target);
    assert.ok(pod);
    state.patch('Pod', target.namespace, pod.metadata.name, { status: { conditions: [{ type: 'Ready', status: 'False' }] } });
    assert.notEqual(picked(state, 'rollout', 0), `${target.namespace}/${target.service.metadata.name}`);
  });

  it('finds a target’s Pods by its selector and its slices by the service-name label', () => {
    const state = seeded();
    const target = pickTarget(state, 'crashloop', 1, ALL);
    assert.ok(target);
    assert.ok(podsOf(state, target).every((p) => Object.entries(target.selector).every(([k, v]) => p.metadata.labels?.[k] === v)));
    assert.deepEqual(
      slicesOf(state, target).map((s) => s.metadata.labels?.['kubernetes.io/service-name']),
      slicesOf(state, target).map(() => target.service.metadata.name),
    );
    assert.ok(slicesOf(state, target).length > 0);
  });
});
