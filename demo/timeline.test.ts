import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadRawObjects } from './load';
import type { KubeObject } from './resources';
import { ClusterState } from './state';
import { Timeline } from './timeline';
import { FIXTURE_DUMP } from './testing';

type Ep = { addresses: string[]; conditions: { ready: boolean; serving: boolean; terminating: boolean }; targetRef?: { name: string } };
const status = (p: KubeObject) => (p.status ?? {}) as { podIP?: string; phase?: string; conditions?: { type: string; status: string }[]; containerStatuses?: { state?: { waiting?: { reason?: string } }; restartCount: number }[] };
const isReady = (p: KubeObject) => status(p).conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

function seeded(): ClusterState {
  const state = new ClusterState();
  state.seed(loadRawObjects(FIXTURE_DUMP).objects);
  return state;
}

/** What the real controllers guarantee between Pods and EndpointSlices, checked after every step. */
function assertConsistent(state: ClusterState, step: string): void {
  const pods = new Map(state.all('Pod').map((p) => [`${p.metadata.namespace}/${p.metadata.name}`, p]));
  for (const slice of state.all('EndpointSlice')) {
    for (const ep of (slice.endpoints as Ep[] | null) ?? []) {
      const pod = pods.get(`${slice.metadata.namespace}/${ep.targetRef?.name}`);
      assert.ok(pod, `${step}: endpoint ${ep.addresses[0]} of ${slice.metadata.name} points at an existing Pod`);
      assert.deepEqual(ep.addresses, [status(pod).podIP], `${step}: endpoint address is the Pod IP`);
      assert.equal(ep.conditions.terminating, Boolean(pod.metadata.deletionTimestamp), `${step}: terminating iff the Pod is being deleted`);
      assert.equal(ep.conditions.ready, isReady(pod) && !pod.metadata.deletionTimestamp, `${step}: ready iff the Pod is Ready and not terminating`);
    }
  }
  for (const p of pods.values()) {
    if (p.metadata.namespace === 'kube-system' || !status(p).podIP) continue;
    const inSlice = state
      .all('EndpointSlice')
      .some((s) => s.metadata.namespace === p.metadata.namespace && ((s.endpoints as Ep[] | null) ?? []).some((e) => e.targetRef?.name === p.metadata.name));
    assert.ok(inSlice, `${step}: running Pod ${p.metadata.name} has an endpoint`);
  }
}

describe('the demo timeline', () => {
  it('plays a rollout, a CrashLoopBackOff and a scale to zero, keeping Pods and EndpointSlices consistent at every step', () => {
    const state = seeded();
    const t = new Timeline(state);
    const story: string[] = [];
    let sawTerminatingServing = false;
    let sawCrashLoop = false;
    let sawEmptySlice = false;
    let sawBackOffCount = 0;
    for (let i = 0; i < 18; i++) {
      const what = t.step();
      story.push(what);
      assertConsistent(state, what);
      const eps = state.all('EndpointSlice').flatMap((s) => (s.endpoints as Ep[] | null) ?? []);
      if (eps.some((e) => e.conditions.terminating && e.conditions.serving)) sawTerminatingServing = true;
      if (state.all('Pod').some((p) => status(p).containerStatuses?.[0]?.state?.waiting?.reason === 'CrashLoopBackOff')) sawCrashLoop = true;
      if (state.all('EndpointSlice').some((s) => s.metadata.labels?.['kubernetes.io/service-name'] === 'web' && ((s.endpoints as Ep[] | null) ?? []).length === 0)) sawEmptySlice = true;
      const backoff = state.all('Event').find((e) => e.reason === 'BackOff' && e.type === 'Warning');
      if (backoff) sawBackOffCount = Math.max(sawBackOffCount, backoff.count as number);
    }
    assert.ok(story.some((s) => s.includes('rollout') && s.includes('complete')), story.join('\n'));
    assert.ok(story.some((s) => s.includes('recovered')), story.join('\n'));
    assert.ok(story.some((s) => s.includes('scaled back')), story.join('\n'));
    assert.ok(sawTerminatingServing, 'a rollout shows terminating endpoints that still serve');
    assert.ok(sawCrashLoop, 'a Pod falls into CrashLoopBackOff');
    assert.ok(sawBackOffCount >= 3, 'the BackOff Warning event counts up instead of multiplying');
    assert.ok(sawEmptySlice, 'scaling to zero empties the slice');
    // After the acts every Service of the story has ready Pods again.
    for (const ns of ['hst-my-client', 'hst-acme', 'hst-globex']) {
      const pods = state.all('Pod').filter((p) => p.metadata.namespace === ns);
      assert.ok(pods.length > 0 && pods.every(isReady), `${ns} is healthy again`);
    }
  });

  it('prefers the Services labelled for an act', () => {
    const state = seeded();
    state.patch('Service', 'hst-globex', 'web', { metadata: { labels: { 'chainboard.dev/timeline': 'rollout' } } });
    const t = new Timeline(state);
    assert.match(t.step(), /^rollout of hst-globex\/web/);
  });

  it('does nothing, and says why, when no Service has ready Pods', () => {
    const state = new ClusterState();
    const t = new Timeline(state);
    assert.match(t.step(), /no healthy Service/);
    assert.equal(state.resourceVersion, '0');
  });

  it('gives up an act whose objects vanished and goes on with the next one', () => {
    const state = seeded();
    const t = new Timeline(state);
    const first = t.step();
    const ns = first.match(/of ([^/]+)\//)![1]!;
    for (const p of state.all('Pod').filter((x) => x.metadata.namespace === ns)) state.remove('Pod', ns, p.metadata.name);
    const next = t.step();
    assert.doesNotMatch(next, /^rollout/);
    assert.match(t.status().last ?? '', /./);
  });
});
