import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadDump } from '../cluster/dump';
import { analyze } from '../chain';
import { HEALTH_ORDER } from '../model/chain';
import type { SyncInfo } from './types';
import { dnsTarget, domainsView, domainView, namespaceView, overviewView } from './views';

const now = new Date('2026-11-26T12:00:00Z');
const result = analyze(loadDump(join(__dirname, '../../samples/cluster')).snapshot, { now });
const sync: SyncInfo = { ready: true, syncedAt: now.toISOString(), kinds: [] };
/** The sample cluster as the one cluster of a configuration. */
const parts = [{ name: 'default', result, sync }];
const part = parts[0]!;

test('the overview lists every client environment worst first with counts that add up', () => {
  const v = overviewView(parts, sync, { offset: 0, limit: 1000 });
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
  const byHost = overviewView(parts, sync, { q: 'APP.MY-CLIENT', offset: 0, limit: 100 });
  assert.deepEqual(byHost.namespaces.map((n) => n.name), ['hst-my-client']);
  const healthy = overviewView(parts, sync, { health: 'healthy', offset: 0, limit: 100 });
  assert.ok(healthy.namespaces.every((n) => n.health === 'healthy'));
  assert.ok(healthy.namespaces.some((n) => n.name === 'hst-my-client'));
  const matching = byHost.namespaces[0]?.matchingDomains;
  assert.deepEqual([matching?.count, matching?.domains.map((d) => [d.host, d.health])], [1, [['app.my-client.junovy.com', 'healthy']]], 'an environment found by a host shows that host');
  const byName = overviewView(parts, sync, { q: 'hst-my', offset: 0, limit: 100 });
  assert.equal(byName.namespaces[0]?.matchingDomains, undefined, 'an environment found by its name shows its worst domains');
  const none = overviewView(parts, sync, { q: 'no-such-thing', offset: 0, limit: 100 });
  assert.equal(none.matched, 0);
  assert.deepEqual(none.namespaces, []);
});

test('the overview pages without losing or repeating an environment', () => {
  const all = overviewView(parts, sync, { offset: 0, limit: 1000 }).namespaces.map((n) => n.name);
  const paged: string[] = [];
  for (let offset = 0; offset < all.length; offset += 2) {
    paged.push(...overviewView(parts, sync, { offset, limit: 2 }).namespaces.map((n) => n.name));
  }
  assert.deepEqual(paged, all);
});

test('the namespace view lists the seed domain healthy and unknown namespaces are undefined', () => {
  const v = namespaceView(part, 'hst-my-client');
  assert.ok(v);
  assert.deepEqual(v.domains.map((d) => [d.host, d.health]), [['app.my-client.junovy.com', 'healthy']]);
  assert.equal(namespaceView(part, 'hst-nope'), undefined);
});

test('the domain view finds a host and answers undefined for one no Ingress serves', () => {
  const v = domainView(parts, 'app.my-client.junovy.com');
  assert.equal(v?.domain.health, 'healthy');
  assert.equal(v?.domain.namespace, 'hst-my-client');
  assert.equal(domainView(parts, 'nope.example.com'), undefined);
});

test('the domain view groups identical findings beside the flat list, which it keeps whole', () => {
  const v = domainView(parts, 'checkout.acme.junovy.com');
  assert.ok(v);
  const { findings, findingGroups } = v.domain;
  assert.deepEqual(findings, result.domains.find((d) => d.host === 'checkout.acme.junovy.com')!.findings);
  assert.deepEqual(
    findingGroups.map((g) => [g.code, g.count, g.members]),
    [
      ['service.no-ready-endpoints', 1, [0]],
      ['pod.crash-loop', 2, [1, 2]],
      ['tls.managed-by-resolver', 1, [3]],
    ],
  );
  const crash = findingGroups[1]!;
  assert.deepEqual(crash.objects, [findings[1]!.object, findings[2]!.object]);
  assert.equal(crash.hint, findings[1]!.hint);
  assert.match(crash.message, /^2 Pods: container checkout is in CrashLoopBackOff/);
  // Grouped once per analysis: the same answer object on every request.
  assert.equal(domainView(parts, 'checkout.acme.junovy.com')!.domain.findingGroups, findingGroups);
});

test('the namespace view groups its findings outside any domain', () => {
  const v = namespaceView(part, 'hst-globex');
  assert.ok(v);
  assert.deepEqual(
    v.namespace.findingGroups.map((g) => [g.code, g.count, g.objects.map((o) => o.name)]),
    [['ingress.no-rules', 1, ['maintenance']]],
  );
  assert.equal(v.namespace.findings.length, 1);
});

test('the domain list holds every domain of every environment, with counts per health over the text filter', () => {
  const all = domainsView(parts, sync, { sort: 'health', offset: 0, limit: 1000 });
  assert.equal(all.matched, result.domains.length);
  assert.equal(all.domains.length, result.domains.length);
  assert.deepEqual(all.counts, all.totals.domainHealth);
  const c = all.counts;
  assert.equal(c.healthy + c.degraded + c.down + c.unknown, result.domains.length);

  // A host finds its domain, not only its environment; the counts are domains, not environments.
  const www = domainsView(parts, sync, { q: ' WWW.acme.junovy.com ', sort: 'health', offset: 0, limit: 100 });
  assert.deepEqual(www.domains.map((d) => [d.host, d.namespace]), [['www.acme.junovy.com', 'hst-acme']]);
  assert.equal(www.matched, 1);

  const acme = domainsView(parts, sync, { q: 'hst-acme', sort: 'name', offset: 0, limit: 100 });
  const acmeHosts = result.domains.filter((d) => d.namespaces.includes('hst-acme')).map((d) => d.host).sort();
  assert.deepEqual(acme.domains.map((d) => d.host), acmeHosts);
  const degraded = domainsView(parts, sync, { q: 'hst-acme', health: 'degraded', sort: 'name', offset: 0, limit: 100 });
  assert.equal(degraded.matched, acme.counts.degraded);
  assert.ok(degraded.domains.every((d) => d.health === 'degraded'));
  assert.deepEqual(degraded.counts, acme.counts, 'the health filter does not change the counts it offers');
  assert.ok(acme.counts.degraded > 0 && acme.counts.degraded < acme.matched);
});

test('the domain list sorts by health, by name and by environment', () => {
  const rows = (sort: 'health' | 'name' | 'environment') => domainsView(parts, sync, { sort, offset: 0, limit: 1000 }).domains;
  const hosts = result.domains.map((d) => d.host);
  const byHealth = rows('health');
  const key = (d: { health: (typeof HEALTH_ORDER)[number]; host: string }) => [HEALTH_ORDER.indexOf(d.health), d.host] as const;
  for (let i = 1; i < byHealth.length; i++) {
    const [a, b] = [key(byHealth[i - 1]!), key(byHealth[i]!)];
    assert.ok(a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]), `${byHealth[i - 1]!.host} before ${byHealth[i]!.host}`);
  }
  assert.deepEqual(rows('name').map((d) => d.host), [...hosts].sort());
  const byEnv = rows('environment');
  for (let i = 1; i < byEnv.length; i++) {
    const [a, b] = [byEnv[i - 1]!, byEnv[i]!];
    assert.ok(a.namespace < b.namespace || (a.namespace === b.namespace && key(a) <= key(b)), `${a.host} before ${b.host}`);
  }
  assert.notDeepEqual(byHealth.map((d) => d.host), rows('name').map((d) => d.host));
});

test('the domain list pages without losing or repeating a domain', () => {
  const all = domainsView(parts, sync, { sort: 'environment', offset: 0, limit: 1000 }).domains.map((d) => d.host);
  const paged: string[] = [];
  for (let offset = 0; offset < all.length; offset += 3) {
    const page = domainsView(parts, sync, { sort: 'environment', offset, limit: 3 });
    assert.equal(page.matched, all.length);
    paged.push(...page.domains.map((d) => d.host));
  }
  assert.deepEqual(paged, all);
});

test('a domain row whose top finding is a symptom carries its first cause, and one without causes none', () => {
  const rows = domainsView(parts, sync, { sort: 'name', offset: 0, limit: 100 }).domains;
  const checkout = rows.find((r) => r.host === 'checkout.acme.junovy.com')!;
  assert.equal(checkout.topFinding?.code, 'service.no-ready-endpoints');
  assert.deepEqual([checkout.topCause?.code, checkout.topCause?.id], [checkout.topFinding?.causes?.[0]?.split(':')[0], checkout.topFinding?.causes?.[0]]);
  assert.match(checkout.topCause!.hint, /logs checkout-q8x4sv2bzk-\w+ -c checkout --previous$/);
  const blog = rows.find((r) => r.host === 'blog.northwind.junovy.com')!;
  assert.equal(blog.topFinding?.code, 'ingress.backend-service-missing');
  assert.equal('topCause' in blog, false);
  const reports = namespaceView(part, 'hst-bakery-bros')!.domains.find((r) => r.host === 'reports.bakery-bros.junovy.com')!;
  assert.equal(reports.topCause?.code, 'pod.pending');
});

// Two clusters: the sample cluster as `eu`, and as `us` a copy in which public DNS answers with the
// address its Ingress publishes for one host (a client moved to `us`, DNS already switched).
const MOVED = 'app.my-client.junovy.com';
const movedTo = structuredClone(result);
const movedDomain = movedTo.domains.find((d) => d.host === MOVED)!;
movedDomain.dns.loadBalancer = ['203.0.113.7'];
movedDomain.dns.probe = { status: 'ok', host: MOVED, checkedAt: now.toISOString(), a: ['203.0.113.7'], aaaa: [], cname: [] };
const two = [
  { name: 'eu', result, sync },
  { name: 'us', result: movedTo, sync },
];

test('with two clusters the overview groups environments by cluster, in the configured order, worst first inside each', () => {
  const v = overviewView(two, sync, { offset: 0, limit: 1000 });
  assert.deepEqual(v.clusters.map((c) => [c.name, c.namespaces, c.domains]), [
    ['eu', result.namespaces.length, result.domains.length],
    ['us', movedTo.namespaces.length, movedTo.domains.length],
  ]);
  assert.equal(v.totals.namespaces, result.namespaces.length * 2);
  assert.equal(v.matched, result.namespaces.length * 2);
  const clusters = v.namespaces.map((n) => n.cluster);
  assert.deepEqual(clusters, [...clusters].sort(), 'rows are grouped: every eu row before every us row');
  const eu = v.namespaces.filter((n) => n.cluster === 'eu').map((n) => n.name);
  assert.deepEqual(eu, overviewView(parts, sync, { offset: 0, limit: 1000 }).namespaces.map((n) => n.name), 'inside a group, the single-cluster order');
});

test('with two clusters the domain list has a row per cluster serving a host, each naming its cluster', () => {
  const v = domainsView(two, sync, { q: MOVED, sort: 'name', offset: 0, limit: 10 });
  assert.deepEqual(v.domains.map((d) => [d.cluster, d.host]), [
    ['eu', MOVED],
    ['us', MOVED],
  ]);
  assert.equal(v.totals.domains, result.domains.length * 2);
});

test('a host served by two clusters answers with the chain DNS points at, and lists both with where DNS goes', () => {
  const v = domainView(two, MOVED);
  assert.equal(v?.domain.cluster, 'us', 'DNS answers with the address us publishes');
  assert.deepEqual(v?.servedBy, [
    { cluster: 'eu', health: result.domains.find((d) => d.host === MOVED)!.health, dns: 'unknown' },
    { cluster: 'us', health: movedDomain.health, dns: 'here' },
  ]);
  assert.equal(domainView(two, MOVED, 'eu')?.domain.cluster, 'eu', 'the cluster parameter picks the chain');
  assert.equal(domainView(two, MOVED, 'mars'), undefined);
  assert.equal(domainView(parts, MOVED)?.servedBy, undefined, 'one cluster: no servedBy');
});

test('where DNS points is `elsewhere` when the host resolves to none of the cluster\'s addresses, `unknown` without an answer', () => {
  const d = structuredClone(movedDomain);
  assert.equal(dnsTarget(d), 'here');
  d.dns.probe = { status: 'ok', host: MOVED, checkedAt: now.toISOString(), a: ['198.51.100.1'], aaaa: [], cname: [] };
  assert.equal(dnsTarget(d), 'elsewhere');
  d.dns.probe = { status: 'nxdomain', host: MOVED, checkedAt: now.toISOString() };
  assert.equal(dnsTarget(d), 'unknown');
  d.dns.loadBalancer = ['lb.example.net'];
  d.dns.probe = { status: 'ok', host: MOVED, checkedAt: now.toISOString(), a: ['198.51.100.1'], aaaa: [], cname: ['LB.example.net.'] };
  assert.equal(dnsTarget(d), 'here', 'a CNAME to the published hostname points here');
});
