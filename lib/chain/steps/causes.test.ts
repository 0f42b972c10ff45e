import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding } from '../../model/chain';
import { fixtureNames, NS, onlyDomain, POD, run } from '../__fixtures__/load';
import { linkServiceCauses } from './causes';

const podId = (code: string, i: 0 | 1 | 2) => `${code}:${NS}/Pod/${POD[i]}`;
const SVC = `${NS}/Service/my-app#80`;

/** Each finding of the only domain that has causes, as `[id, causes]`. */
const causesOf = (fixture: string, edit?: Parameters<typeof run>[2]) =>
  onlyDomain(run(fixture, {}, edit))
    .findings.filter((f) => f.causes)
    .map((f) => [f.id, f.causes]);

test('a Service with no ready endpoints is caused by the findings of the Pods behind them', () => {
  assert.deepStrictEqual(causesOf('service-no-ready-endpoints'), [
    [`service.no-ready-endpoints:${SVC}`, [podId('pod.not-ready', 0), podId('pod.not-ready', 1)]],
  ]);
});

test('a Service with no endpoints is caused by the findings of the Pods it selects, here not scheduled', () => {
  assert.deepStrictEqual(causesOf('service-no-endpoints'), [
    [`service.no-endpoints:${SVC}`, [podId('pod.pending', 0), podId('pod.pending', 1)]],
  ]);
});

test('some endpoints not ready are caused by the crash loop of the Pod behind the not-ready one, not by the ready Pods', () => {
  assert.deepStrictEqual(causesOf('pod-crash-loop'), [[`service.some-endpoints-not-ready:${SVC}`, [podId('pod.crash-loop', 1)]]]);
});

test('a healthy chain and a note about the Service have no causes', () => {
  assert.deepStrictEqual(causesOf('seed'), []);
  // A single ready endpoint is a note about the Service alone, though a Pod beside it crash-loops.
  const d = onlyDomain(run('pod-crash-loop'));
  assert.equal(d.findings.find((f) => f.code === 'service.single-endpoint')?.causes, undefined);
});

test('an endpoint that is not ready while its Pod has no finding gives its Service no cause to name', () => {
  // The near miss: the slice says not ready, the Pod itself looks fine (the kubelet has not caught up).
  const causes = causesOf('seed', (s) => {
    s.endpointSlices[0]!.endpoints![0]!.conditions = { ready: false, serving: false, terminating: false };
  });
  assert.deepStrictEqual(causes, []);
});

test('the Pod behind a terminating endpoint is no cause of endpoints not being ready', () => {
  assert.deepStrictEqual(causesOf('pod-terminating-stuck'), []);
});

test('every cause is a finding of the same domain, and no two findings of a domain share an id', () => {
  for (const name of fixtureNames()) {
    for (const d of run(name).domains) {
      const ids = d.findings.map((f) => f.id);
      assert.equal(new Set(ids).size, ids.length, `${name} ${d.host}: ${ids.join(', ')}`);
      for (const f of d.findings) for (const c of f.causes ?? []) assert.ok(ids.includes(c), `${name} ${d.host}: ${f.id} names ${c}`);
    }
  }
});

test('linking causes leaves the findings it is given as they were and orders causes worst first', () => {
  const finding = (id: string, code: string, severity: Finding['severity']): Finding => ({
    id,
    code,
    severity,
    link: { type: 'node', id: 'Service/s' },
    object: { kind: 'Service', namespace: 'ns', name: 's' },
    message: id,
    hint: 'h',
  });
  const symptom = finding('s', 'service.no-endpoints', 'critical');
  const pending = finding('p', 'pod.pending', 'warning');
  const leftover = finding('f', 'pod.failed', 'info');
  const [linked] = linkServiceCauses([symptom], { 'pods-without-endpoint': [leftover, pending], 'not-ready-endpoint-pods': [] });
  assert.deepStrictEqual(linked?.causes, ['p', 'f']);
  assert.equal(symptom.causes, undefined);
  assert.equal(linkServiceCauses([symptom], { 'pods-without-endpoint': [], 'not-ready-endpoint-pods': [pending] })[0], symptom);
});
