import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { analyze } from '../chain';
import { ruleByCode, RULES } from '../chain/catalogue';
import { loadDump } from '../cluster/dump';
import type { DomainChain, PodSummary } from '../model/chain';
import { redactDomain, redactFinding, topFinding, type SharedDomain } from './redact';

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
            type: 'ClusterIP',
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
          message: 'The Service port has endpoints but none is ready: every request to the domain fails.',
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
          message: ruleByCode('tls.managed-by-resolver')!.description,
          count: 1,
        },
      ],
      incomplete: false,
    });
  });

  test('a certificate from a TLS Secret shows its expiry, and the finding says what expired without naming the Secret', () => {
    const v = redactDomain(domain('billing.umbrella.junovy.com'), result.analyzedAt);
    assert.deepEqual(v.tls, { enabled: true, managedBy: 'secret', health: 'down', certificate: { notAfter: '2026-10-31T23:59:59.000Z', source: 'secret' } });
    assert.equal(v.findings[0]?.code, 'tls.secret-cert-expired');
    assert.equal(v.findings[0]?.message, ruleByCode('tls.secret-cert-expired')!.description);
    assert.ok(!JSON.stringify(v).includes('billing-tls'));
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

  test('a missing backend Service is marked, not named, so the client sees which link is broken (blog.northwind)', () => {
    const v = redactDomain(domain('blog.northwind.junovy.com'), result.analyzedAt);
    assert.deepEqual(v.routes.map((r) => [r.path, r.service, r.serviceMissing]), [['/', undefined, true]]);
    assert.equal(v.health, 'down');
    assert.equal(topFinding(v)?.code, 'ingress.backend-service-missing');
  });

  test('every code of the catalogue redacts to its title and description, whatever the finding said', () => {
    for (const r of RULES) {
      const f = redactFinding({ id: `${r.code}:/Pod/x`, code: r.code, severity: r.severity, link: { type: 'node', id: 'Pod/x' }, object: { kind: 'Pod', name: 'x' }, message: 'Service shop-api and Secret shop-tls on worker-9 at 10.0.0.9', hint: 'kubectl x' });
      assert.deepEqual([f.title, f.message], [r.title, r.description], r.code);
      assert.ok(f.message.length > 0, r.code);
    }
  });

  test('a code the catalogue does not know shows no message at all (whitelist, not blacklist)', () => {
    const f = redactFinding({ id: 'future.rule:/Pod/p@Endpoint/s/10.42.0.1', code: 'future.rule', severity: 'warning', link: { type: 'node', id: 'Endpoint/s/10.42.0.1' }, object: { kind: 'Pod', name: 'p' }, message: 'secret stuff', hint: 'kubectl' });
    assert.deepEqual(f, { code: 'future.rule', severity: 'warning', title: 'future.rule', part: 'endpoint', message: '' });
  });
});

/** Every name of an object in the chain (Ingress, Service, EndpointSlice, Pod, Secret, owner, namespace...). */
function namesIn(d: DomainChain): Set<string> {
  const out = new Set<string>([d.namespace, ...d.namespaces]);
  const walk = (v: unknown, key?: string) => {
    if (Array.isArray(v)) return v.forEach((x) => walk(x, key));
    if (v && typeof v === 'object') return Object.entries(v).forEach(([k, x]) => walk(x, k));
    if (typeof v !== 'string' || v === '') return;
    // Node ids are `Kind/name[/more]`: every segment after the kind is a name or an address.
    if (key === 'id' || key === 'from' || key === 'to' || key === 'owner') for (const part of v.split('/').slice(1)) out.add(part);
    if (['ingress', 'ingressClass', 'slice', 'secretName', 'resolver', 'issuer', 'certificate', 'namespace', 'nodeName', 'image'].includes(key ?? '')) out.add(v);
  };
  // A finding's id and causes are made of its code, object and link, which are walked themselves.
  walk({ ...d, findings: d.findings.map(({ id: _id, causes: _causes, ...f }) => f) });
  for (const f of d.findings) out.add(f.object.name);
  for (const r of d.routes) {
    if (r.backend.service?.name) out.add(r.backend.service.name);
    for (const e of r.service?.endpoints ?? []) if (e.pod) out.add(e.pod.name);
  }
  // Route indices (`Route/checkout/0/0`) are not names.
  return new Set([...out].filter((n) => !/^\d+$/.test(n) && n !== d.host));
}

/** A name as a whole word: `checkout` in `Service checkout`, not in the host `checkout.acme.junovy.com`. */
const asWord = (name: string) => new RegExp(`(?<![\\w.-])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-]|\\.\\w)`);

describe('what a shared view may contain at all', () => {
  const catalogue = new Set(RULES.flatMap((r) => [r.code, r.title, r.description]));
  const fixed = new Set(['healthy', 'degraded', 'down', 'unknown', 'not-checked', 'critical', 'warning', 'info', 'Prefix', 'Exact', 'ImplementationSpecific', 'ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName', 'resolver', 'cert-manager', 'secret', 'none', 'served', 'domain', 'tls', 'dns', 'route', 'ingress', 'service', 'endpoint', 'pod', 'other', '']);
  const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

  for (const d of result.domains) {
    test(`every string in the shared view of ${d.host} is its host, a route path, a date, a fixed word or catalogue text`, () => {
      const v: SharedDomain = redactDomain(d, result.analyzedAt);
      const paths = new Set(d.routes.map((r) => r.path));
      const strays: string[] = [];
      const walk = (x: unknown, key: string) => {
        if (Array.isArray(x)) return x.forEach((y) => walk(y, key));
        if (x && typeof x === 'object') return Object.entries(x).forEach(([k, y]) => walk(y, k));
        if (typeof x !== 'string') return;
        const ok = (key === 'host' && x === d.host) || (key === 'path' && paths.has(x)) || ISO.test(x) || fixed.has(x) || catalogue.has(x);
        if (!ok) strays.push(`${key}: ${x}`);
      };
      walk(v, '');
      assert.deepEqual(strays, []);
    });

    test(`no object name of ${d.host}'s chain appears in its shared view`, () => {
      const out = JSON.stringify(redactDomain(d, result.analyzedAt)).split(d.host).join(' ');
      for (const name of namesIn(d)) assert.ok(!asWord(name).test(out), `${name} leaked: ${out}`);
    });
  }

  test('the name check finds the names an unredacted chain shows (it would catch a leak)', () => {
    const d = domain('checkout.acme.junovy.com');
    const names = namesIn(d);
    for (const n of ['checkout', 'checkout-tls', 'hst-acme', 'checkout-q8x4sv2bzk-r7fpn', 'worker-2', 'traefik-external']) assert.ok(names.has(n), n);
    const raw = d.findings.map((f) => f.message).join(' ').split(d.host).join(' ');
    assert.ok(asWord('checkout').test(raw) && asWord('checkout-tls').test(raw), raw);
  });
});
