import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { analyze } from '../chain';
import { RULES } from '../chain/catalogue';
import { loadDump } from '../cluster/dump';
import type { DomainChain, PodSummary } from '../model/chain';
import { MESSAGE_SAFE_CODES, redactDomain, redactFinding, scrub, topFinding } from './redact';

const now = new Date('2026-11-26T09:30:00Z');
const dump = loadDump(join(__dirname, '..', '..', 'samples', 'cluster'));
const result = analyze(dump.snapshot, { now });
const domain = (host: string) => {
  const d = result.domains.find((x) => x.host === host);
  assert.ok(d, host);
  return d;
};

/** Every Pod IP, endpoint address and node name of the whole sample cluster, not only of one chain. */
function clusterInternals(): { ips: Set<string>; nodes: Set<string>; podNames: Set<string> } {
  const ips = new Set<string>();
  const nodes = new Set<string>();
  const podNames = new Set<string>();
  const snapshot = dump.snapshot as unknown as Record<string, unknown>;
  // Walk the raw snapshot: whatever its shape, every podIP/podIPs/addresses/nodeName in it is collected.
  const walk = (v: unknown, key?: string) => {
    if (Array.isArray(v)) {
      for (const x of v) walk(x, key);
      return;
    }
    if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) walk(x, k);
      return;
    }
    if (typeof v !== 'string' || v === '') return;
    if (key === 'podIP' || key === 'ip' || key === 'addresses' || key === 'hostIP') ips.add(v);
    if (key === 'nodeName') nodes.add(v);
  };
  walk(snapshot);
  const podsOf = (d: DomainChain): PodSummary[] =>
    d.routes.flatMap((r) => [...(r.service?.endpoints.flatMap((e) => (e.pod ? [e.pod] : [])) ?? []), ...(r.service?.podsWithoutEndpoint ?? [])]);
  for (const d of result.domains) {
    for (const p of podsOf(d)) {
      podNames.add(p.name);
      if (p.podIP) ips.add(p.podIP);
      if (p.nodeName) nodes.add(p.nodeName);
    }
    for (const r of d.routes) for (const e of r.service?.endpoints ?? []) for (const a of e.addresses) ips.add(a);
  }
  // The Ingress status addresses (Traefik's) are not Pod IPs but must not leak either.
  ips.delete('');
  return { ips, nodes, podNames };
}

const internals = clusterInternals();

describe('redaction of a domain for a client', () => {
  test('the sample cluster has Pod IPs and node names to leak (the test would catch something)', () => {
    assert.ok(internals.ips.size >= 40, `found ${internals.ips.size} addresses`);
    assert.ok([...internals.ips].some((ip) => ip.startsWith('10.42.')));
    for (const n of ['worker-1', 'worker-2', 'worker-3', 'worker-4']) assert.ok(internals.nodes.has(n), n);
    // The search below does find them in an unredacted chain.
    const raw = JSON.stringify(domain('git.initech.junovy.com'));
    assert.ok([...internals.ips].some((ip) => raw.includes(ip)) && raw.includes('worker-4'));
  });

  for (const d of result.domains) {
    test(`no Pod IP, node name, Pod name, event, hint or image of ${d.host} reaches its shared view`, () => {
      const out = JSON.stringify(redactDomain(d, result.analyzedAt));
      for (const ip of internals.ips) assert.ok(!out.includes(ip), `address ${ip} leaked`);
      for (const node of internals.nodes) assert.ok(!new RegExp(`${node}(?![0-9])`).test(out), `node ${node} leaked`);
      for (const pod of internals.podNames) assert.ok(!out.includes(pod), `Pod ${pod} leaked`);
      for (const e of d.events) assert.ok(!out.includes(e.message), `event message leaked: ${e.message}`);
      for (const f of d.findings) assert.ok(!out.includes(f.hint), `hint leaked: ${f.hint}`);
      assert.ok(!/kubectl|openssl|registry\.junovy\.com|managedFields|apiVersion/.test(out), out);
    });
  }

  test('the shared view of checkout.acme.junovy.com is exactly the whitelisted fields', () => {
    assert.deepEqual(redactDomain(domain('checkout.acme.junovy.com'), result.analyzedAt), {
      host: 'checkout.acme.junovy.com',
      health: 'down',
      analyzedAt: '2026-11-26T09:30:00.000Z',
      routes: [
        {
          path: '/',
          pathType: 'Prefix',
          isDefaultBackend: false,
          health: 'down',
          service: {
            name: 'checkout',
            type: 'ClusterIP',
            port: 80,
            health: 'down',
            endpoints: { ready: 0, notReady: 2, terminating: 0, total: 2 },
            pods: { total: 2, ready: 0 },
          },
        },
      ],
      tls: { enabled: true, managedBy: 'resolver', health: 'not-checked' },
      dns: { health: 'not-checked' },
      findings: [
        {
          code: 'service.no-ready-endpoints',
          severity: 'critical',
          title: 'No ready endpoints',
          part: 'service',
          message: 'Service checkout port 80 (http) -> http: 0 of 2 endpoints ready (2 not ready, 0 terminating)',
          count: 1,
        },
        {
          code: 'pod.crash-loop',
          severity: 'warning',
          title: 'Container crash-looping',
          part: 'pod',
          message: 'A container waits in CrashLoopBackOff: it keeps exiting and the kubelet backs off restarting it.',
          count: 2,
        },
        {
          code: 'tls.managed-by-resolver',
          severity: 'info',
          title: 'Certificate managed by a resolver',
          part: 'tls',
          message: 'The certificate of checkout.acme.junovy.com is managed by Traefik cert resolver letsencrypt; Secret checkout-tls is not used',
          count: 1,
        },
      ],
      incomplete: false,
    });
  });

  test('a certificate from a TLS Secret shows its expiry, and timestamps survive scrubbing', () => {
    const v = redactDomain(domain('billing.umbrella.junovy.com'), result.analyzedAt);
    assert.deepEqual(v.tls, { enabled: true, managedBy: 'secret', health: 'down', certificate: { notAfter: '2026-10-31T23:59:59.000Z', source: 'secret' } });
    assert.equal(v.findings[0]?.message, 'billing.umbrella.junovy.com: the certificate in Secret billing-tls expired at 2026-10-31T23:59:59.000Z');
  });

  test('the node of a Pod stuck on a lost node is not named (git.initech)', () => {
    const d = domain('git.initech.junovy.com');
    assert.ok(d.findings.some((f) => f.code === 'pod.terminating-stuck' && f.message.includes('worker-4')), 'the internal message names the node');
    const out = JSON.stringify(redactDomain(d, result.analyzedAt));
    assert.ok(!out.includes('worker-4'));
    assert.ok(out.includes('Pod stuck terminating'));
  });

  test('kubelet and scheduler text is replaced by the catalogue description (orders, reports, newsletter)', () => {
    for (const host of ['orders.bakery-bros.junovy.com', 'reports.bakery-bros.junovy.com', 'newsletter.bakery-bros.junovy.com']) {
      const out = JSON.stringify(redactDomain(domain(host), result.analyzedAt));
      assert.ok(!/Back-off pulling|nodes are available|newsletter-smtp|Insufficient cpu/.test(out), `${host}: ${out}`);
    }
  });

  test('a missing backend Service is named so the client sees which link is broken (blog.northwind)', () => {
    const v = redactDomain(domain('blog.northwind.junovy.com'), result.analyzedAt);
    assert.deepEqual(v.routes.map((r) => [r.path, r.service, r.missingService]), [['/', undefined, 'blog']]);
    assert.equal(v.health, 'down');
    assert.equal(topFinding(v)?.code, 'ingress.backend-service-missing');
  });

  test('every code of the catalogue redacts to a non-empty title and message', () => {
    for (const r of RULES) {
      const f = redactFinding({ id: `${r.code}:/Pod/x`, code: r.code, severity: r.severity, link: { type: 'node', id: 'Pod/x' }, object: { kind: 'Pod', name: 'x' }, message: 'Pod x on worker-9 at 10.0.0.9', hint: 'kubectl x' }, ['worker-9']);
      assert.ok(f.title.length > 0 && f.message.length > 0, r.code);
      assert.ok(!f.message.includes('worker-9') && !f.message.includes('10.0.0.9'), `${r.code}: ${f.message}`);
    }
  });

  test('a code the catalogue does not know shows no message at all (whitelist, not blacklist)', () => {
    const f = redactFinding({ id: 'future.rule:/Pod/p@Endpoint/s/10.42.0.1', code: 'future.rule', severity: 'warning', link: { type: 'node', id: 'Endpoint/s/10.42.0.1' }, object: { kind: 'Pod', name: 'p' }, message: 'secret stuff', hint: 'kubectl' });
    assert.deepEqual(f, { code: 'future.rule', severity: 'warning', title: 'future.rule', part: 'endpoint', message: '' });
  });

  test('message-safe codes are all real catalogue codes', () => {
    const codes = new Set(RULES.map((r) => r.code));
    for (const c of MESSAGE_SAFE_CODES) assert.ok(codes.has(c), c);
    for (const c of MESSAGE_SAFE_CODES) assert.ok(!c.startsWith('pod.') && !c.startsWith('data.'), c);
  });
});

describe('scrub', () => {
  test('removes IPv4 and IPv6 addresses with ports, and named internals as whole words', () => {
    assert.equal(scrub('handshake with a at 10.42.1.7:443 failed', []), 'handshake with a at [address] failed');
    assert.equal(scrub('resolves to fd00:10:42::1b and 2001:db8:0:0:0:0:0:1', []), 'resolves to [address] and [address]');
    assert.equal(scrub('on node worker-1 (not worker-10)', ['worker-1']), 'on node [internal] (not worker-10)');
  });

  test('leaves times, versions and host names alone', () => {
    const text = 'expired at 2026-10-31T23:59:59.000Z, v2.3.0, app.my-client.junovy.com, ports 80 (http) -> http';
    assert.equal(scrub(text, []), text);
  });
});
