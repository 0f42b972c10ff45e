import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptySnapshot } from '../model/snapshot';
import { briefs, domainOf, edge, f, HOST, load, node, NOW, NS, onlyDomain, POD, ref, resolverInfo, run } from './__fixtures__/load';
import { analyze, analyzeNamespace, combine, nodeId, partitionSnapshot, type AnalyzeOptions } from './index';

const opts: AnalyzeOptions = { now: NOW };

test('the seed example comes out as one healthy chain: Ingress rule -> Service port -> endpoints -> Pods', () => {
  const r = run('seed');
  assert.equal(r.namespacePrefix, 'hst-');
  assert.equal(r.analyzedAt, '2025-06-01T12:00:00.000Z');
  const d = onlyDomain(r);
  assert.deepStrictEqual(
    { host: d.host, namespace: d.namespace, namespaces: d.namespaces, health: d.health, findings: briefs(d.findings), events: d.events, gaps: d.gaps },
    { host: HOST, namespace: NS, namespaces: [NS], health: 'healthy', findings: [resolverInfo()], events: [], gaps: [] },
  );
  assert.equal(d.routes.length, 1);
  const { service, ...route } = d.routes[0]!;
  assert.deepStrictEqual(route, {
    id: 'Route/my-app/0/0',
    namespace: NS,
    ingress: 'my-app',
    ingressClass: 'traefik-external',
    path: '/',
    pathType: 'Prefix',
    isDefaultBackend: false,
    backend: { service: { name: 'my-app', port: { number: 80 } } },
    health: 'healthy',
  });
  assert.ok(service);
  const { endpoints, ...svc } = service;
  assert.deepStrictEqual(svc, {
    id: 'Service/my-app',
    name: 'my-app',
    type: 'ClusterIP',
    selector: { app: 'my-app' },
    port: { protocol: 'TCP', port: 80, targetPort: 8080 },
    ports: [{ protocol: 'TCP', port: 80, targetPort: 8080 }],
    counts: { ready: 2, notReady: 0, terminating: 0, total: 2 },
    podsWithoutEndpoint: [],
    health: 'healthy',
  });
  assert.deepStrictEqual(
    endpoints.map(({ pod, ...e }) => ({ ...e, pod: pod && { name: pod.name, ready: pod.ready, phase: pod.phase, owner: pod.owner, health: pod.health } })),
    [
      {
        id: 'Endpoint/my-app-ptm2c/10.42.75.201',
        slice: 'my-app-ptm2c',
        addressType: 'IPv4',
        addresses: ['10.42.75.201'],
        ready: true,
        serving: true,
        terminating: false,
        nodeName: 'worker-1',
        port: 8080,
        targetRef: { kind: 'Pod', namespace: NS, name: POD[0] },
        pod: { name: POD[0], ready: true, phase: 'Running', owner: 'ReplicaSet/my-app-mjclgjsw9x', health: 'healthy' },
        health: 'healthy',
      },
      {
        id: 'Endpoint/my-app-ptm2c/10.42.75.8',
        slice: 'my-app-ptm2c',
        addressType: 'IPv4',
        addresses: ['10.42.75.8'],
        ready: true,
        serving: true,
        terminating: false,
        nodeName: 'worker-2',
        port: 8080,
        targetRef: { kind: 'Pod', namespace: NS, name: POD[1] },
        pod: { name: POD[1], ready: true, phase: 'Running', owner: 'ReplicaSet/my-app-mjclgjsw9x', health: 'healthy' },
        health: 'healthy',
      },
    ],
  );
  assert.deepStrictEqual(d.tls, {
    id: `TLS/${HOST}`,
    enabled: true,
    source: { type: 'resolver', resolver: 'letsencrypt', secretName: 'my-app-tls' },
    // The dump has no probe results: the certificate and the DNS were not checked, and say so.
    check: { state: 'not-checked', reasons: ['probes-off'] },
    health: 'not-checked',
  });
  assert.deepStrictEqual(d.dns, {
    id: `DNS/${HOST}`,
    annotatedHostnames: [HOST],
    loadBalancer: ['203.0.113.10'],
    check: { state: 'not-checked', reasons: ['probes-off'] },
    health: 'not-checked',
  });
  assert.deepStrictEqual(r.namespaces, [
    {
      name: NS,
      health: 'healthy',
      domainCount: 1,
      counts: { healthy: 1, degraded: 0, down: 0, unknown: 0 },
      hosts: [HOST],
      worstFindings: d.findings,
      findings: [],
      unreachableServices: [],
      unhealthyPods: [],
      warningEvents: [],
      gaps: [],
    },
  ]);
});

test('a snapshot analysed whole equals the combination of its namespaces analysed one by one', () => {
  const s = load('multi-namespace');
  const parts = partitionSnapshot(s);
  const byParts = combine(
    [...parts].map(([ns, p]) => analyzeNamespace(p, ns, opts)),
    opts,
  );
  assert.deepStrictEqual(analyze(s, opts), byParts);
  // In any order, and with namespaces outside the prefix among the parts.
  assert.deepStrictEqual(
    combine(
      [...parts].reverse().map(([ns, p]) => analyzeNamespace(p, ns, opts)),
      opts,
    ),
    byParts,
  );
});

test('a namespace analysed from the whole snapshot equals it analysed from its own part', () => {
  const s = load('multi-namespace');
  const parts = partitionSnapshot(s);
  for (const ns of ['hst-alpha', 'hst-beta', 'hst-gamma', 'hst-empty']) {
    assert.deepStrictEqual(analyzeNamespace(s, ns, opts), analyzeNamespace(parts.get(ns)!, ns, opts), ns);
  }
});

test('only namespaces with the prefix are analysed, found from objects as well as from Namespace objects', () => {
  const s = load('multi-namespace');
  const names = (prefix?: string) => analyze(s, { now: NOW, namespacePrefix: prefix }).namespaces.map((n) => n.name);
  // hst-beta and hst-gamma have no Namespace object in the dump; hst-empty has nothing but one.
  assert.deepStrictEqual(names(), ['hst-alpha', 'hst-beta', 'hst-empty', 'hst-gamma']);
  assert.deepStrictEqual(names('staging-'), ['staging-shop']);
  assert.deepStrictEqual(names(''), ['hst-alpha', 'hst-beta', 'hst-empty', 'hst-gamma', 'kube-system', 'staging-shop']);
  assert.deepStrictEqual(
    analyze(s, opts).domains.map((d) => d.host),
    ['api.beta.example.com', 'shared.example.com', 'shop.alpha.example.com'],
  );
  assert.deepStrictEqual([...partitionSnapshot(s, { namespacePrefix: 'kube-' }).keys()], ['kube-system']);
});

test('a host claimed from two namespaces is one domain, and the routes of both conflict', () => {
  const r = run('multi-namespace');
  const d = domainOf(r, 'shared.example.com');
  assert.deepStrictEqual([d.namespace, d.namespaces, d.health], ['hst-beta', ['hst-beta', 'hst-gamma'], 'degraded']);
  assert.deepStrictEqual(
    d.routes.map((x) => [x.namespace, x.ingress, x.service?.name, x.health]),
    [
      ['hst-beta', 'shared', 'api', 'degraded'],
      ['hst-gamma', 'shared', 'web', 'degraded'],
    ],
  );
  const crash = 'api-w7jxg5x2hc-kkvm5';
  assert.deepStrictEqual(briefs(d.findings), [
    f('ingress.route-conflict', 'warning', ref('Ingress', 'shared', 'hst-beta'), node('Route/shared/0/0')),
    f('ingress.route-conflict', 'warning', ref('Ingress', 'shared', 'hst-gamma'), node('Route/shared/0/0')),
    f('pod.crash-loop', 'warning', ref('Pod', crash, 'hst-beta'), node(`Pod/${crash}`)),
    f('service.some-endpoints-not-ready', 'warning', ref('Service', 'api', 'hst-beta'), node('Service/api')),
    f('service.single-endpoint', 'info', ref('Service', 'api', 'hst-beta'), node('Service/api')),
  ]);
  assert.match(d.findings[0]!.message, /also claimed by Ingress hst-gamma\/shared/);
  // The namespace that only serves the shared host rolls up the merged domain.
  const gamma = r.namespaces.find((n) => n.name === 'hst-gamma')!;
  assert.deepStrictEqual([gamma.health, gamma.counts, gamma.hosts], ['degraded', { healthy: 0, degraded: 1, down: 0, unknown: 0 }, ['shared.example.com']]);
  assert.deepStrictEqual(briefs(gamma.worstFindings), [f('ingress.route-conflict', 'warning', ref('Ingress', 'shared', 'hst-gamma'), node('Route/shared/0/0'))]);
});

test('domains are sorted worst health first, then by host', () => {
  const r = run('multi-namespace', { namespacePrefix: '' });
  assert.deepStrictEqual(
    r.domains.map((d) => [d.health, d.host]),
    [
      ['down', 'dash.internal.example.com'],
      ['degraded', 'api.beta.example.com'],
      ['degraded', 'shared.example.com'],
      ['healthy', 'shop.alpha.example.com'],
      ['healthy', 'shop.staging.example.com'],
    ],
  );
});

test('a wildcard rule host is a domain of its own, lower-case as written', () => {
  const d = onlyDomain(run('wildcard'));
  assert.deepStrictEqual([d.host, d.health, d.routes[0]!.id], ['*.my-client.junovy.com', 'healthy', 'Route/my-app/0/0']);
  assert.deepStrictEqual(briefs(d.findings), [resolverInfo('my-app', '*.my-client.junovy.com')]);
  assert.equal(d.findings[0]!.hint, `kubectl -n ${NS} describe ingress my-app`);
});

test('an Ingress with only a default backend is the domain *, with a default-backend route', () => {
  const d = onlyDomain(run('default-backend-only'));
  assert.deepStrictEqual([d.host, d.health, d.findings], ['*', 'healthy', []]);
  const { service, ...route } = d.routes[0]!;
  assert.deepStrictEqual(route, {
    id: 'Route/catch-all/default',
    namespace: NS,
    ingress: 'catch-all',
    ingressClass: 'traefik-external',
    path: '*',
    pathType: '',
    isDefaultBackend: true,
    backend: { service: { name: 'my-app', port: { number: 80 } } },
    health: 'healthy',
  });
  assert.equal(service?.counts.ready, 2);
  assert.deepStrictEqual([d.tls.enabled, d.tls.source], [false, { type: 'none' }]);
});

test("endpoints are narrowed to the slice port named like the route's Service port", () => {
  const r = run('ingress-backend-port-by-name', {}, (s) => {
    s.endpointSlices.push({
      metadata: { name: 'my-app-metrics', namespace: NS, labels: { 'kubernetes.io/service-name': 'my-app' } },
      addressType: 'IPv4',
      endpoints: [{ addresses: ['10.42.75.99'], conditions: { ready: false } }],
      ports: [{ name: 'metrics', port: 9090 }],
    });
  });
  const svc = onlyDomain(r).routes[0]!.service!;
  assert.deepStrictEqual(
    svc.endpoints.map((e) => [e.slice, e.port, e.ready]),
    [
      ['my-app-ptm2c', 8080, true],
      ['my-app-ptm2c', 8080, true],
    ],
  );
});

test('an IPv6 EndpointSlice of the same Service counts too, every addressType', () => {
  const r = run('seed', {}, (s) => {
    s.endpointSlices.push({
      metadata: { name: 'my-app-v6', namespace: NS, labels: { 'kubernetes.io/service-name': 'my-app' } },
      addressType: 'IPv6',
      endpoints: [{ addresses: ['fd00:10:42::7'], conditions: { ready: true }, targetRef: { kind: 'Pod', name: POD[0], namespace: NS } }],
      ports: [{ name: '', port: 8080 }],
    });
  });
  const svc = onlyDomain(r).routes[0]!.service!;
  assert.deepStrictEqual(svc.counts, { ready: 3, notReady: 0, terminating: 0, total: 3 });
  assert.deepStrictEqual(svc.endpoints[2]!.id, 'Endpoint/my-app-v6/fd00:10:42::7');
  assert.equal(svc.endpoints[2]!.addressType, 'IPv6');
});

test('Warning events about objects of the chain come with the domain, newest first; Normal events do not', () => {
  const r = run('service-no-ready-endpoints');
  const d = onlyDomain(r);
  assert.deepStrictEqual(
    d.events.map((e) => [e.object.name, e.reason, e.count, e.lastTimestamp]),
    [
      [POD[0], 'Unhealthy', 340, '2025-06-01T11:59:50Z'],
      [POD[1], 'Unhealthy', 340, '2025-06-01T11:59:40Z'],
    ],
  );
  assert.deepStrictEqual(d.events[0], {
    object: { kind: 'Pod', name: POD[0], namespace: NS },
    type: 'Warning',
    reason: 'Unhealthy',
    message: 'Readiness probe failed: HTTP probe failed with statuscode: 503',
    count: 340,
    lastTimestamp: '2025-06-01T11:59:50Z',
  });
  assert.deepStrictEqual(r.namespaces[0]!.warningEvents, d.events);
  assert.deepStrictEqual(run('service-no-ready-endpoints', { maxEvents: 1 }).domains[0]!.events.length, 1);
});

test('the namespace summary counts domains, names unreachable Services, unhealthy Pods and the worst findings', () => {
  const missing = run('ingress-backend-service-missing').namespaces[0]!;
  assert.deepStrictEqual(
    [missing.health, missing.counts, missing.unreachableServices],
    ['down', { healthy: 0, degraded: 0, down: 1, unknown: 0 }, ['my-app']],
  );
  assert.deepStrictEqual(briefs(missing.worstFindings), [
    f('ingress.backend-service-missing', 'critical', ref('Ingress', 'my-app'), edge('Route/my-app/0/0', 'Service/my-app-svc')),
    resolverInfo(),
  ]);
  const crash = run('pod-crash-loop').namespaces[0]!;
  assert.deepStrictEqual(
    crash.unhealthyPods.map((p) => [p.name, p.reason, p.restarts, p.health]),
    [[POD[1], 'CrashLoopBackOff', 7, 'degraded']],
  );
  assert.deepStrictEqual(crash.worstFindings.map((x) => x.code), ['pod.crash-loop', 'service.some-endpoints-not-ready', 'service.single-endpoint']);
  assert.deepStrictEqual(run('pod-crash-loop', { worstFindings: 1 }).namespaces[0]!.worstFindings.length, 1);
});

test('a namespace with a Namespace object and nothing else is a healthy summary without domains', () => {
  const empty = run('multi-namespace').namespaces.find((n) => n.name === 'hst-empty')!;
  assert.deepStrictEqual([empty.health, empty.domainCount, empty.hosts, empty.findings], ['healthy', 0, [], []]);
});

test('a forbidden Ingress list in a namespace makes the namespace unknown even with no domain to show', () => {
  const s = emptySnapshot();
  s.gaps = [{ reason: 'forbidden', kind: 'Ingress', namespace: 'hst-locked', message: 'ingresses.networking.k8s.io is forbidden' }];
  const r = analyze(s, { now: NOW, identity: 'system:serviceaccount:chainboard:chainboard' });
  assert.deepStrictEqual(r.domains, []);
  const ns = r.namespaces[0]!;
  assert.deepStrictEqual([ns.name, ns.health], ['hst-locked', 'unknown']);
  assert.deepStrictEqual(briefs(ns.findings), [f('data.forbidden', 'info', ref('Ingress', '*', 'hst-locked'), node('Namespace/hst-locked'))]);
  assert.equal(ns.findings[0]!.hint, 'kubectl auth can-i list ingresses.networking.k8s.io -n hst-locked --as system:serviceaccount:chainboard:chainboard');
});

test('a cluster-wide gap applies to every namespace', () => {
  const r = run('multi-namespace', {}, (s) => {
    s.gaps = [{ reason: 'not-synced', kind: 'Pod', message: 'waiting for the first list' }];
  });
  assert.deepStrictEqual(
    r.namespaces.map((n) => [n.name, n.health]),
    [
      ['hst-alpha', 'unknown'],
      ['hst-beta', 'unknown'],
      ['hst-empty', 'unknown'],
      ['hst-gamma', 'unknown'],
    ],
  );
  assert.ok(r.domains.every((d) => d.health === 'unknown'));
});

test('the analysis changes neither the snapshot nor the namespace analyses it combines', () => {
  const s = load('multi-namespace');
  const before = JSON.stringify(s);
  const parts = [...partitionSnapshot(s)].map(([ns, p]) => analyzeNamespace(p, ns, opts));
  const partsBefore = JSON.stringify(parts);
  combine(parts, opts);
  analyze(s, opts);
  assert.equal(JSON.stringify(s), before);
  assert.equal(JSON.stringify(parts), partsBefore);
});

test('an empty snapshot is an empty result', () => {
  assert.deepStrictEqual(analyze(emptySnapshot(), opts), { namespacePrefix: 'hst-', analyzedAt: NOW.toISOString(), domains: [], namespaces: [] });
});

test('node ids follow the form documented on ChainLink', () => {
  assert.deepStrictEqual(
    [
      nodeId.domain(HOST),
      nodeId.tls(HOST),
      nodeId.dns(HOST),
      nodeId.route('my-app', 0, 1),
      nodeId.route('my-app', 'default'),
      nodeId.ingress('my-app'),
      nodeId.service('my-app'),
      nodeId.endpoint('my-app-ptm2c', '10.42.75.8'),
      nodeId.pod(POD[0]),
    ],
    [
      `Domain/${HOST}`,
      `TLS/${HOST}`,
      `DNS/${HOST}`,
      'Route/my-app/0/1',
      'Route/my-app/default',
      'Ingress/my-app',
      'Service/my-app',
      'Endpoint/my-app-ptm2c/10.42.75.8',
      `Pod/${POD[0]}`,
    ],
  );
});

test('a domain whose TLS and DNS were not checked is judged by its other links, and its TLS and DNS say why', () => {
  const off = onlyDomain(run('seed'));
  assert.deepStrictEqual([off.health, off.tls.health, off.dns.health], ['healthy', 'not-checked', 'not-checked']);
  const on = onlyDomain(run('seed', {}, (s) => void (s.probes = {})));
  assert.deepStrictEqual([on.health, on.tls.check, on.dns.check], ['healthy', { state: 'not-checked', reasons: ['not-probed'] }, { state: 'not-checked', reasons: ['not-probed'] }]);
});

test('once the probes ran for the host, its TLS and DNS are checked and healthy', () => {
  const checkedAt = '2025-06-01T11:59:00Z';
  const leaf = { subject: `CN=${HOST}`, issuer: 'CN=R11', sans: [HOST], notBefore: '2025-05-20T00:00:00Z', notAfter: '2025-08-18T00:00:00Z', serialNumber: '01', fingerprint256: 'AB', selfSigned: false };
  const d = onlyDomain(
    run('seed', {}, (s) => {
      s.probes = {
        [HOST]: {
          tls: { status: 'ok', host: HOST, target: '203.0.113.10:443', checkedAt, chain: [leaf], trusted: true },
          dns: { status: 'ok', host: HOST, checkedAt, a: ['203.0.113.10'], aaaa: [], cname: [] },
        },
      };
    }),
  );
  assert.deepStrictEqual([d.health, d.tls.check, d.tls.health, d.dns.check, d.dns.health], ['healthy', { state: 'checked', by: 'probe' }, 'healthy', { state: 'checked', by: 'probe' }, 'healthy']);
});
