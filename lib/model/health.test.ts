import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding, Severity } from './chain';
import type { DataGap } from './snapshot';
import { rollUp, sortFindings, worstHealth } from './health';

const finding = (code: string, severity: Severity, name = 'x'): Finding => ({
  id: `${code}:hst-a/Service/${name}`,
  code,
  severity,
  link: { type: 'node', id: `Service/${name}` },
  object: { kind: 'Service', namespace: 'hst-a', name },
  message: `${code} on ${name}`,
  hint: 'kubectl -n hst-a get services',
});
const gap: DataGap = { reason: 'forbidden', kind: 'Pod', namespace: 'hst-a', message: 'forbidden' };

test('any critical is down; else a data gap is unknown; else any warning is degraded; info alone is healthy', () => {
  assert.equal(rollUp([finding('a', 'info'), finding('b', 'critical')], [gap]), 'down');
  assert.equal(rollUp([finding('a', 'warning')], [gap]), 'unknown');
  assert.equal(rollUp([finding('a', 'warning'), finding('b', 'info')]), 'degraded');
  assert.equal(rollUp([finding('a', 'info')]), 'healthy');
  assert.equal(rollUp([], true), 'unknown');
  assert.equal(rollUp([]), 'healthy');
});

test('the worst health is down, then unknown, then degraded, then healthy', () => {
  assert.equal(worstHealth('healthy', 'degraded', 'unknown'), 'unknown');
  assert.equal(worstHealth('unknown', 'down'), 'down');
  assert.equal(worstHealth(), 'healthy');
});

test('findings sort critical, warning, info, then by code and object, without duplicates', () => {
  const sorted = sortFindings([
    finding('service.single-endpoint', 'info'),
    finding('pod.not-ready', 'warning', 'b'),
    finding('service.no-endpoints', 'critical'),
    finding('pod.not-ready', 'warning', 'a'),
    finding('ingress.no-address', 'warning'),
    finding('pod.not-ready', 'warning', 'a'),
  ]);
  assert.deepEqual(
    sorted.map((f) => `${f.severity} ${f.code} ${f.object.name}`),
    ['critical service.no-endpoints x', 'warning ingress.no-address x', 'warning pod.not-ready a', 'warning pod.not-ready b', 'info service.single-endpoint x'],
  );
});

test("within a severity the objects' cause comes before what a request or Traefik sees, and a worse symptom still leads", () => {
  const sorted = sortFindings([
    finding('http.unavailable', 'critical'),
    finding('traefik.router-error', 'critical'),
    finding('service.no-ready-endpoints', 'critical'),
    finding('http.slow', 'warning'),
    finding('pod.not-ready', 'warning'),
  ]);
  assert.deepEqual(
    sorted.map((f) => `${f.severity} ${f.code}`),
    ['critical service.no-ready-endpoints', 'critical http.unavailable', 'critical traefik.router-error', 'warning pod.not-ready', 'warning http.slow'],
  );
  assert.equal(sortFindings([finding('pod.not-ready', 'warning'), finding('http.bad-gateway', 'critical')])[0]!.code, 'http.bad-gateway');
});
