// The demo's generated past over the repository's sample cluster (samples/cluster at its README's
// reference time): consistent timelines per host, ending at the current health, causes before effects,
// nothing inside the no-data gaps, and the same past for the same seed.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { analyze } from '../chain';
import { loadDump } from '../cluster/dump';
import { generateDemoPast } from './demo-past';
import { domainCause } from './transition';

const now = new Date('2026-11-26T09:30:00Z');
const result = analyze(loadDump(join(__dirname, '..', '..', 'samples', 'cluster')).snapshot, { now });
const past = generateDemoPast(result, { now, cluster: 'demo', seed: 7 });
const start = now.getTime() - 30 * 86_400_000;
const t = (iso: string) => Date.parse(iso);

describe('generateDemoPast on the sample cluster', () => {
  test('each host starts healthy at the start of the window, each `from` is the previous `to`, and the last `to` is its current health', () => {
    for (const d of result.domains) {
      const ts = past.transitions.filter((x) => x.host === d.host);
      assert.ok(ts.length >= 1, d.host);
      assert.deepEqual([ts[0]!.from, ts[0]!.to, t(ts[0]!.at)], ['no-data', 'healthy', start], d.host);
      for (let i = 1; i < ts.length; i++) {
        assert.equal(ts[i]!.from, ts[i - 1]!.to, `${d.host} #${i}`);
        assert.ok(ts[i]!.at > ts[i - 1]!.at, `${d.host} #${i} later`);
        assert.notEqual(ts[i]!.from, ts[i]!.to);
      }
      assert.equal(ts.at(-1)!.to, d.health, d.host);
    }
    assert.deepEqual(new Set(past.transitions.map((x) => x.host)), new Set(result.domains.map((d) => d.host)));
  });

  test('a domain broken now got there with its current codes and message, after a change on its chain', () => {
    const broken = result.domains.filter((d) => d.health !== 'healthy');
    assert.ok(broken.length >= 20);
    let withCause = 0;
    for (const d of broken) {
      const last = past.transitions.filter((x) => x.host === d.host).at(-1)!;
      const cause = domainCause(d);
      assert.deepEqual(last.codes, cause.codes, d.host);
      assert.equal(last.message, cause.message, d.host);
      assert.ok(t(last.at) < now.getTime() && t(last.at) > start, d.host);
      const before = past.changes.filter((c) => c.hosts.includes(d.host) && c.at < last.at && t(last.at) - t(c.at) <= 10 * 60_000);
      if (before.length) withCause++;
    }
    assert.ok(withCause >= broken.length - 3, `${withCause} of ${broken.length} broken domains have a change right before`);
    const booking = past.changes.find((c) => c.hosts.includes('booking.northwind.junovy.com') && c.kind === 'Service');
    assert.deepEqual(booking?.lines, ['selector app=booking -> app=bookng']);
    const checkout = past.changes.filter((c) => c.hosts.includes('checkout.acme.junovy.com') && c.kind === 'Pod').at(-1);
    assert.match(checkout!.lines[0]!, /^rollout checkout \w+ -> q8x4sv2bzk$/);
    assert.match(checkout!.lines[1]!, /-> registry\.junovy\.com\/acme\/checkout:2\.0\.0$/);
  });

  test('every past incident of a healthy domain has a causing change before it and a fixing change before it ends', () => {
    const healthy = result.domains.filter((d) => d.health === 'healthy');
    for (const d of healthy) {
      const ts = past.transitions.filter((x) => x.host === d.host);
      const cs = past.changes.filter((c) => c.hosts.includes(d.host));
      assert.ok(ts.length >= 3, `${d.host} has at least one incident`);
      for (let i = 1; i < ts.length; i += 2) {
        const open = ts[i]!;
        const close = ts[i + 1]!;
        assert.ok(['down', 'degraded'].includes(open.to) && close.to === 'healthy', d.host);
        assert.ok(open.codes.length > 0 && open.message, d.host);
        assert.ok(cs.some((c) => c.at < open.at && t(open.at) - t(c.at) <= 10 * 60_000), `${d.host}: a cause before ${open.at}`);
        assert.ok(cs.some((c) => c.at > open.at && c.at < close.at), `${d.host}: a fix inside ${open.at}..${close.at}`);
      }
    }
  });

  test('coverage spans the window with two gaps of about an hour, and nothing happens inside a gap', () => {
    const cov = past.coverage;
    assert.equal(cov.length, 3);
    assert.equal(t(cov[0]!.start), start);
    assert.equal(t(cov.at(-1)!.end), now.getTime());
    const gaps = [0, 1].map((i) => ({ start: t(cov[i]!.end), end: t(cov[i + 1]!.start) }));
    for (const g of gaps) assert.ok(g.end - g.start >= 40 * 60_000 && g.end - g.start <= 110 * 60_000, JSON.stringify(g));
    for (const x of [...past.transitions, ...past.changes]) {
      assert.ok(gaps.every((g) => t(x.at) < g.start || t(x.at) > g.end), `${x.at} is outside the gaps`);
    }
    assert.ok(past.changes.every((c) => c.cluster === 'demo' && c.hosts.length === 1 && c.lines.length > 0));
  });

  test('deterministic for a seed, different for another', () => {
    assert.deepEqual(generateDemoPast(result, { now, cluster: 'demo', seed: 7 }), past);
    assert.notDeepEqual(generateDemoPast(result, { now, cluster: 'demo', seed: 8 }), past);
  });
});
