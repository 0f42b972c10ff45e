import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadDump } from '../cluster/dump';
import { analyze } from '../chain';
import { HEALTH_ORDER } from '../model/chain';
import type { SyncInfo } from './types';
import { domainView, namespaceView, overviewView } from './views';

const now = new Date('2026-11-26T12:00:00Z');
const result = analyze(loadDump(join(__dirname, '../../samples/cluster')).snapshot, { now });
const sync: SyncInfo = { ready: true, syncedAt: now.toISOString(), kinds: [] };

test('the overview lists every client environment worst first with counts that add up', () => {
  const v = overviewView(result, sync, { offset: 0, limit: 1000 });
  assert.equal(v.matched, result.namespaces.length);
  assert.equal(v.namespaces.length, result.namespaces.length);
  const ranks = v.namespaces.map((n) => HEALTH_ORDER.indexOf(n.health));
  assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b));
  for (const row of v.namespaces) {
    const c = row.counts;
    assert.equal(c.healthy + c.degraded + c.down + c.unknown, row.domainCount, row.name);
    assert.ok(row.name.startsWith('hst-'));
  }
  const totals = v.totals.domainHealth;
  assert.equal(totals.healthy + totals.degraded + totals.down + totals.unknown, v.totals.domains);
});

test('the overview filters by text over namespace names and hosts, and by health', () => {
  const byHost = overviewView(result, sync, { q: 'APP.MY-CLIENT', offset: 0, limit: 100 });
  assert.deepEqual(byHost.namespaces.map((n) => n.name), ['hst-my-client']);
  const healthy = overviewView(result, sync, { health: 'healthy', offset: 0, limit: 100 });
  assert.ok(healthy.namespaces.every((n) => n.health === 'healthy'));
  assert.ok(healthy.namespaces.some((n) => n.name === 'hst-my-client'));
  const none = overviewView(result, sync, { q: 'no-such-thing', offset: 0, limit: 100 });
  assert.equal(none.matched, 0);
  assert.deepEqual(none.namespaces, []);
});

test('the overview pages without losing or repeating an environment', () => {
  const all = overviewView(result, sync, { offset: 0, limit: 1000 }).namespaces.map((n) => n.name);
  const paged: string[] = [];
  for (let offset = 0; offset < all.length; offset += 2) {
    paged.push(...overviewView(result, sync, { offset, limit: 2 }).namespaces.map((n) => n.name));
  }
  assert.deepEqual(paged, all);
});

test('the namespace view lists the seed domain healthy and unknown namespaces are undefined', () => {
  const v = namespaceView(result, sync, 'hst-my-client');
  assert.ok(v);
  assert.deepEqual(v.domains.map((d) => [d.host, d.health]), [['app.my-client.junovy.com', 'healthy']]);
  assert.equal(namespaceView(result, sync, 'hst-nope'), undefined);
});

test('the domain view finds a host and answers undefined for one no Ingress serves', () => {
  const v = domainView(result, sync, 'app.my-client.junovy.com');
  assert.equal(v?.domain.health, 'healthy');
  assert.equal(v?.domain.namespace, 'hst-my-client');
  assert.equal(domainView(result, sync, 'nope.example.com'), undefined);
});
