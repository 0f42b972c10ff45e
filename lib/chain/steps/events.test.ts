import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EventSummary, ServiceNode } from '../../model/chain';
import type { SlimEvent } from '../../model/k8s';
import { domainEvents, indexEvents, latestEvents, latestSummaries, newestFirst } from './events';

const ev = (name: string, kind: string, object: string, lastTimestamp?: string): SlimEvent => ({
  metadata: { name, namespace: 'ns' },
  involvedObject: { kind, name: object, namespace: 'ns' },
  type: 'Warning',
  reason: 'BackOff',
  message: name,
  count: 2,
  ...(lastTimestamp ? { lastTimestamp } : {}),
});

test('events are newest first; equal times, and times that do not parse (as the oldest), keep the order given', () => {
  const items = [
    ['a', '2025-06-01T10:00:00Z'],
    ['b', 'not a time'],
    ['c', '2025-06-01T11:00:00Z'],
    ['d', '2025-06-01T10:00:00.000Z'],
    ['e', undefined],
  ] as const;
  assert.deepStrictEqual(newestFirst(items, (x) => x[1], 10).map((x) => x[0]), ['c', 'a', 'd', 'b', 'e']);
  assert.deepStrictEqual(newestFirst(items, (x) => x[1], 2).map((x) => x[0]), ['c', 'a']);
});

test('raw events are summarised newest first, equal times by event name, times from lastTimestamp, eventTime or creation', () => {
  const events = [
    ev('z', 'Pod', 'p1', '2025-06-01T10:00:00Z'),
    ev('a', 'Pod', 'p2', '2025-06-01T10:00:00Z'),
    { ...ev('m', 'Pod', 'p3'), eventTime: '2025-06-01T11:00:00Z' },
    { ...ev('k', 'Pod', 'p4'), metadata: { name: 'k', namespace: 'ns', creationTimestamp: '2025-06-01T09:00:00Z' } },
  ];
  const got = latestEvents(events, 10);
  assert.deepStrictEqual(got.map((e) => [e.message, e.lastTimestamp]), [
    ['m', '2025-06-01T11:00:00Z'],
    ['a', '2025-06-01T10:00:00Z'],
    ['z', '2025-06-01T10:00:00Z'],
    ['k', '2025-06-01T09:00:00Z'],
  ]);
  assert.deepStrictEqual(got[1], {
    object: { kind: 'Pod', namespace: 'ns', name: 'p2' },
    type: 'Warning',
    reason: 'BackOff',
    message: 'a',
    count: 2,
    lastTimestamp: '2025-06-01T10:00:00Z',
  });
  assert.equal(latestEvents(events, 1).length, 1);
});

test('summaries gathered from several lists follow the same order, lists in the order given', () => {
  const s = (message: string, lastTimestamp?: string): EventSummary => ({ object: { kind: 'Pod', name: 'p' }, type: 'Warning', reason: 'R', message, count: 1, ...(lastTimestamp ? { lastTimestamp } : {}) });
  const first = [s('beta-new', '2025-06-01T11:00:00Z'), s('beta-old', '2025-06-01T09:00:00Z')];
  const second = [s('gamma-new', '2025-06-01T11:00:00Z'), s('gamma-none')];
  assert.deepStrictEqual(latestSummaries([...first, ...second], 3).map((e) => e.message), ['beta-new', 'gamma-new', 'beta-old']);
});

test("a domain's events are those of its objects, route by route, each object's once", () => {
  const index = indexEvents([
    ev('svc', 'Service', 'web', '2025-06-01T10:00:00Z'),
    ev('ing', 'Ingress', 'shop', '2025-06-01T10:00:00Z'),
    ev('slice', 'EndpointSlice', 'web-abc', '2025-06-01T10:00:00Z'),
    ev('pod-a', 'Pod', 'web-a', '2025-06-01T10:00:00Z'),
    ev('pod-b', 'Pod', 'web-b', '2025-06-01T10:00:00Z'),
    ev('other', 'Pod', 'elsewhere', '2025-06-01T10:00:00Z'),
  ]);
  const service = {
    name: 'web',
    endpoints: [{ pod: { name: 'web-a' } }, {}],
    podsWithoutEndpoint: [{ name: 'web-b' }],
  } as unknown as ServiceNode;
  const routes = [
    { ingress: 'shop', service, slices: ['web-abc'] },
    { ingress: 'shop', service, slices: ['web-abc'] },
    { ingress: 'shop-admin', slices: [] },
  ];
  assert.deepStrictEqual(domainEvents(index, routes).map((e) => e.metadata.name), ['ing', 'svc', 'slice', 'pod-a', 'pod-b']);
  assert.deepStrictEqual(domainEvents(indexEvents([]), routes), []);
});
