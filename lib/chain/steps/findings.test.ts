import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DataGap } from '../../model/snapshot';
import { briefs, context, f, HOST, node, NS, ref } from '../__fixtures__/load';
import { resolveClass } from '../rules/ingress';
import { crossNamespaceConflicts, gapFindings, ingressFindings, PROBE_CODES, probeFindings } from './findings';

const ingressSubjects = (ctx: ReturnType<typeof context>) => ctx.ingresses.map((ingress) => ({ ingress, cls: resolveClass(ingress, ctx) }));

test("an Ingress's findings are on its node; those of an Ingress serving nothing are the namespace's", () => {
  const missing = context('ingress-class-missing');
  const r = ingressFindings(missing, ingressSubjects(missing));
  assert.deepStrictEqual(briefs(r.byIngress.get('my-app')!), [f('ingress.class-missing', 'critical', ref('Ingress', 'my-app'), node('Ingress/my-app'))]);
  assert.deepStrictEqual(r.namespace, []);
  const noRules = context('ingress-no-rules');
  const n = ingressFindings(noRules, ingressSubjects(noRules));
  assert.deepStrictEqual(briefs(n.namespace), [f('ingress.no-rules', 'warning', ref('Ingress', 'placeholder'), node('Ingress/placeholder'))]);
  // Its own findings stay with it: no route carries them into a domain.
  assert.deepStrictEqual(n.byIngress.get('placeholder')!.map((x) => x.code), ['ingress.no-address']);
});

test('a gap is one finding about every object of its kind, on the link given', () => {
  const ctx = context('seed');
  const gaps: DataGap[] = [
    { reason: 'forbidden', kind: 'Pod', namespace: NS, message: 'pods is forbidden' },
    { reason: 'not-synced', kind: 'Service', message: 'waiting' },
  ];
  assert.deepStrictEqual(briefs(gapFindings(ctx, gaps, node(`Domain/${HOST}`))), [
    f('data.forbidden', 'info', ref('Pod', '*'), node(`Domain/${HOST}`)),
    f('data.not-synced', 'info', ref('Service', '*'), node(`Domain/${HOST}`)),
  ]);
});

test('probe results are judged on the TLS and DNS nodes, about the first Ingress serving the host', () => {
  const ctx = context('seed');
  const probes = {
    tls: { status: 'error' as const, host: HOST, target: '203.0.113.10:443', checkedAt: '2025-06-01T12:00:00Z', errorKind: 'refused' as const, error: 'refused' },
    dns: { status: 'ok' as const, host: HOST, checkedAt: '2025-06-01T12:00:00Z', a: ['198.51.100.7'], aaaa: [], cname: [] },
  };
  const got = probeFindings(ctx, HOST, probes, { ips: ['203.0.113.10'], hostnames: [] }, ctx.ingresses[0]);
  assert.deepStrictEqual(briefs(got), [
    f('tls.handshake-failed', 'critical', ref('Ingress', 'my-app'), node(`TLS/${HOST}`)),
    f('dns.points-elsewhere', 'critical', ref('Ingress', 'my-app'), node(`DNS/${HOST}`)),
  ]);
  assert.deepStrictEqual(probeFindings(ctx, HOST, undefined, { ips: [], hostnames: [] }, ctx.ingresses[0]), []);
  assert.ok(got.every((x) => PROBE_CODES.has(x.code)));
});

test('the probe codes are exactly those judged from probe results', () => {
  assert.deepStrictEqual([...PROBE_CODES].sort(), [
    'dns.lookup-failed',
    'dns.not-resolving',
    'dns.points-elsewhere',
    'tls.cert-expired',
    'tls.cert-expiring',
    'tls.cert-not-yet-valid',
    'tls.default-certificate',
    'tls.handshake-failed',
    'tls.host-mismatch',
    'tls.untrusted',
  ]);
});

test('a route claimed from other namespaces conflicts once per rival, on the route, about its Ingress', () => {
  const claim = (namespace: string) => ({ namespace, ingress: 'shared', routeId: 'Route/shared/0/0', host: 'shared.example.com', path: '/', pathType: 'Prefix' });
  const got = crossNamespaceConflicts({ id: 'Route/shared/0/0', claim: claim('hst-beta'), rivals: [claim('hst-gamma'), claim('hst-delta')] });
  assert.deepStrictEqual(
    got.map((x) => [x.code, x.severity, x.object, x.link, x.message]),
    ['hst-gamma', 'hst-delta'].map((ns) => [
      'ingress.route-conflict',
      'warning',
      ref('Ingress', 'shared', 'hst-beta'),
      node('Route/shared/0/0'),
      `shared.example.com/ (Prefix) of Ingress shared is also claimed by Ingress ${ns}/shared: only one of them gets the traffic`,
    ]),
  );
});
