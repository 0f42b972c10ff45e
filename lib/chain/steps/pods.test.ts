import assert from 'node:assert/strict';
import { test } from 'node:test';
import { briefs, context, f, node, POD, ref } from '../__fixtures__/load';
import { analyzePod, PodCache } from './pods';

test('a Running, Ready Pod is summarised as the chain shows it, healthy and without findings', () => {
  const ctx = context('seed');
  const r = analyzePod(ctx.pods.get(POD[0])!, ctx);
  assert.deepStrictEqual(r.findings, []);
  const { conditions, containers, ...summary } = r.summary;
  assert.deepStrictEqual(summary, {
    id: `Pod/${POD[0]}`,
    name: POD[0],
    phase: 'Running',
    ready: true,
    reason: 'Running',
    restarts: 0,
    deleting: false,
    health: 'healthy',
    nodeName: 'worker-1',
    podIP: '10.42.75.201',
    startTime: '2025-05-30T12:00:05Z',
    owner: 'ReplicaSet/my-app-mjclgjsw9x',
  });
  assert.ok(conditions.length > 0);
  assert.deepStrictEqual(containers.map((c) => [c.state, c.ready, c.restartCount]), [['running', true, 0]]);
});

test('a crash-looping Pod has one finding, the most specific, and its health is that finding\'s', () => {
  const ctx = context('pod-crash-loop');
  const r = analyzePod(ctx.pods.get(POD[1])!, ctx);
  assert.deepStrictEqual(briefs(r.findings), [f('pod.crash-loop', 'warning', ref('Pod', POD[1]), node(`Pod/${POD[1]}`))]);
  assert.deepStrictEqual([r.summary.reason, r.summary.restarts, r.summary.health], ['CrashLoopBackOff', 7, 'degraded']);
});

test('an evicted Pod reads as its own reason, not its containers\'', () => {
  const ctx = context('pod-failed');
  const r = analyzePod(ctx.pods.get(POD[2])!, ctx);
  assert.deepStrictEqual([r.summary.phase, r.summary.reason, r.findings.map((x) => x.code)], ['Failed', 'Evicted', ['pod.failed']]);
});

test('the cache analyses a Pod once, knows no Pod the namespace lacks, and lists those it analysed', () => {
  const pods = new PodCache(context('seed'));
  assert.deepStrictEqual(pods.analysed(), []);
  const first = pods.get(POD[1]);
  assert.ok(first);
  assert.equal(pods.get(POD[1]), first);
  assert.equal(pods.get('no-such-pod'), undefined);
  assert.deepStrictEqual(pods.analysed(), [first]);
});
