import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DomainChain, Finding, Health } from '../../model/chain';
import { resolveOptions } from '../options';
import { NOW } from '../__fixtures__/load';
import { compareDomains, nodeHealth, summarize, type SummaryBase } from './health';

const finding = (severity: Finding['severity'], id: string, namespace = 'hst-a', code = 'pod.failed'): Finding => ({
  id: `${code}:${namespace}/Pod/${id}`,
  code,
  severity,
  link: { type: 'node', id },
  object: { kind: 'Pod', namespace, name: id },
  message: id,
  hint: 'h',
});
const domain = (host: string, health: Health, findings: Finding[] = []) => ({ host, health, findings }) as DomainChain;

test('domains sort worst health first, then by host', () => {
  const ds = [domain('b.example.com', 'healthy'), domain('c.example.com', 'down'), domain('a.example.com', 'healthy'), domain('d.example.com', 'unknown')];
  assert.deepStrictEqual(ds.sort(compareDomains).map((d) => d.host), ['c.example.com', 'd.example.com', 'a.example.com', 'b.example.com']);
});

test('a node is judged by the findings linked to it alone', () => {
  const fs = [finding('critical', 'Pod/p'), finding('warning', 'TLS/h'), finding('info', 'TLS/h')];
  assert.deepStrictEqual([nodeHealth(fs, 'TLS/h'), nodeHealth(fs, 'DNS/h'), nodeHealth(fs, 'Pod/p')], ['degraded', 'healthy', 'down']);
});

test("a namespace's summary counts its domains, takes the worst health, and its worst findings among its own", () => {
  const base: SummaryBase = {
    name: 'hst-a',
    domainCount: 2,
    hosts: ['a.example.com', 'b.example.com'],
    findings: [finding('info', 'Namespace/hst-a', 'hst-a', 'data.forbidden')],
    unreachableServices: ['old'],
    unhealthyPods: [],
    warningEvents: [],
    gaps: [{ reason: 'forbidden', kind: 'Secret', namespace: 'hst-a', message: 'no' }],
  };
  const domains = [
    domain('a.example.com', 'degraded', [finding('warning', 'Pod/a1'), finding('critical', 'Pod/x', 'hst-other')]),
    domain('b.example.com', 'healthy'),
  ];
  const s = summarize(base, domains, resolveOptions({ now: NOW, worstFindings: 2 }));
  assert.deepStrictEqual([s.health, s.counts], ['degraded', { healthy: 1, degraded: 1, down: 0, unknown: 0 }]);
  assert.deepStrictEqual(s.worstFindings.map((x) => x.object.name), ['Pod/a1', 'Namespace/hst-a']);
  assert.deepStrictEqual(Object.keys(s), [
    'name', 'health', 'domainCount', 'counts', 'hosts', 'worstFindings', 'findings', 'unreachableServices', 'unhealthyPods', 'warningEvents', 'gaps',
  ]);
  const unknown = summarize({ ...base, gaps: [{ reason: 'forbidden', kind: 'Pod', message: 'no' }] }, [], resolveOptions({ now: NOW }));
  assert.equal(unknown.health, 'unknown');
});
