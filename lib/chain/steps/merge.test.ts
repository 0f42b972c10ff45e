import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DomainChain } from '../../model/chain';
import type { Snapshot } from '../../model/snapshot';
import { analyze, analyzeNamespace, partitionSnapshot } from '../analyze';
import { load, NOW } from '../__fixtures__/load';
import { resolveOptions } from '../options';
import { mergeDomains } from './merge';

const SHARED = 'shared.example.com';

/** The domains of the shared host as each namespace sees it alone, in namespace order. */
function perNamespace(edit?: (s: Snapshot) => void): { list: DomainChain[]; snapshot: Snapshot } {
  const snapshot = load('multi-namespace');
  edit?.(snapshot);
  const list = [...partitionSnapshot(snapshot)]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .flatMap(([ns, p]) => analyzeNamespace(p, ns, { now: NOW }).domains.filter((d) => d.host === SHARED));
  return { list, snapshot };
}

const opts = resolveOptions({ now: NOW });

test('a host served from two namespaces merges into the domain the whole analysis shows', () => {
  const { list, snapshot } = perNamespace();
  assert.deepStrictEqual(list.map((d) => d.namespace), ['hst-beta', 'hst-gamma']);
  const merged = mergeDomains(list, opts);
  assert.deepStrictEqual(merged, analyze(snapshot, { now: NOW }).domains.find((d) => d.host === SHARED));
  assert.deepStrictEqual([merged.namespace, merged.namespaces], ['hst-beta', ['hst-beta', 'hst-gamma']]);
  // Each namespace alone saw no conflict; merged, both routes conflict and are degraded.
  assert.deepStrictEqual(list.map((d) => d.findings.filter((x) => x.code === 'ingress.route-conflict').length), [0, 0]);
  assert.deepStrictEqual(merged.routes.map((r) => [r.namespace, r.health]), [
    ['hst-beta', 'degraded'],
    ['hst-gamma', 'degraded'],
  ]);
});

test('per-host probe findings are kept once, from the first namespace', () => {
  const { list } = perNamespace((s) => {
    s.probes = { [SHARED]: { dns: { status: 'nxdomain', host: SHARED, checkedAt: NOW.toISOString() } } };
  });
  assert.deepStrictEqual(list.map((d) => d.findings.filter((x) => x.code === 'dns.not-resolving').length), [1, 1]);
  const merged = mergeDomains(list, opts);
  assert.deepStrictEqual(
    merged.findings.filter((x) => x.code === 'dns.not-resolving').map((x) => x.object.namespace),
    ['hst-beta'],
  );
  assert.deepStrictEqual([merged.dns.probe?.status, merged.dns.health, merged.health], ['nxdomain', 'down', 'down']);
});

test('merged events are newest first, equal times in namespace order; a gap reaching both namespaces is kept once', () => {
  const { list } = perNamespace((s) => {
    for (const ns of ['hst-beta', 'hst-gamma']) {
      for (const [name, t] of [['old', '2025-06-01T10:00:00Z'], ['new', '2025-06-01T11:00:00Z']]) {
        s.events.push({
          metadata: { name: `${ns}-${name}`, namespace: ns },
          involvedObject: { kind: 'Ingress', name: 'shared', namespace: ns },
          type: 'Warning',
          reason: 'R',
          message: `${ns} ${name}`,
          lastTimestamp: t,
        });
      }
    }
    s.gaps = [{ reason: 'not-synced', kind: 'IngressClass', message: 'waiting' }];
  });
  const merged = mergeDomains(list, { ...opts, maxEvents: 3 });
  assert.deepStrictEqual(merged.events.map((e) => e.message), ['hst-beta new', 'hst-gamma new', 'hst-beta old']);
  assert.deepStrictEqual(merged.gaps, [{ reason: 'not-synced', kind: 'IngressClass', message: 'waiting' }]);
});
