import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding, Severity } from './chain';
import { findingGroupKey, groupFindings, pluralKind } from './groups';

const NS = 'hst-acme';

// Messages in the words of the rules (lib/chain/rules), so the grouping is tested on what it gets.
function crashLoop(pod: string, restarts: number, exit = '1 (Error)', container = 'checkout', severity: Severity = 'warning'): Finding {
  return {
    id: `pod.crash-loop:${NS}/Pod/${pod}`,
    code: 'pod.crash-loop',
    severity,
    link: { type: 'node', id: `Pod/${pod}` },
    object: { kind: 'Pod', namespace: NS, name: pod },
    message: `Pod ${pod}: container ${container} is in CrashLoopBackOff after ${restarts} restarts; last exit code ${exit}`,
    hint: `kubectl -n ${NS} logs ${pod} -c ${container} --previous`,
  };
}

function pending(pod: string): Finding {
  return {
    id: `pod.pending:${NS}/Pod/${pod}`,
    code: 'pod.pending',
    severity: 'warning',
    link: { type: 'node', id: `Pod/${pod}` },
    object: { kind: 'Pod', namespace: NS, name: pod },
    message: `Pod ${pod} is Pending: not scheduled (Unschedulable): 0/4 nodes are available: 3 Insufficient cpu.`,
    hint: `kubectl -n ${NS} describe pod ${pod}`,
  };
}

function resolverInfo(host: string, ingress: string, secret: string): Finding {
  return {
    id: `tls.managed-by-resolver:${NS}/Ingress/${ingress}@TLS/${host}`,
    code: 'tls.managed-by-resolver',
    severity: 'info',
    link: { type: 'node', id: `TLS/${host}` },
    object: { kind: 'Ingress', namespace: NS, name: ingress },
    message: `The certificate of ${host} is managed by Traefik cert resolver letsencrypt; Secret ${secret} is not used`,
    hint: `openssl s_client -connect ${host}:443 -servername ${host}`,
  };
}

function classMissing(ingress: string): Finding {
  return {
    id: `ingress.class-missing:${NS}/Ingress/${ingress}`,
    code: 'ingress.class-missing',
    severity: 'critical',
    link: { type: 'node', id: `Ingress/${ingress}` },
    object: { kind: 'Ingress', namespace: NS, name: ingress },
    message: `Ingress ${ingress} names no ingress class and no IngressClass is annotated as the default: no controller serves it`,
    hint: 'kubectl get ingressclass',
  };
}

function noReady(service: string): Finding {
  return {
    id: `service.no-ready-endpoints:${NS}/Service/${service}#80`,
    code: 'service.no-ready-endpoints',
    severity: 'critical',
    link: { type: 'node', id: `Service/${service}` },
    object: { kind: 'Service', namespace: NS, name: service },
    message: `Service ${service} port 80 (http) -> http: 0 of 12 endpoints ready (12 not ready, 0 terminating)`,
    hint: `kubectl -n ${NS} get endpointslices -l kubernetes.io/service-name=${service} -o wide`,
  };
}

const PODS = ['checkout-q8x4sv2bzk-r7fpn', 'checkout-q8x4sv2bzk-zrghq', 'checkout-q8x4sv2bzk-5xk2p'];

test('Pods of one owner crash-looping for the same reason are one group: the count replaces the name, restart counts become a range', () => {
  const findings = [noReady('checkout'), crashLoop(PODS[0]!, 8), crashLoop(PODS[1]!, 12), crashLoop(PODS[2]!, 9)];
  const groups = groupFindings(findings);
  assert.deepEqual(
    groups.map((g) => ({ code: g.code, count: g.count, members: g.members })),
    [
      { code: 'service.no-ready-endpoints', count: 1, members: [0] },
      { code: 'pod.crash-loop', count: 3, members: [1, 2, 3] },
    ],
  );
  const crash = groups[1]!;
  assert.deepEqual(crash, {
    key: crash.key,
    code: 'pod.crash-loop',
    severity: 'warning',
    message: '3 Pods: container checkout is in CrashLoopBackOff after 8–12 restarts; last exit code 1 (Error)',
    count: 3,
    hint: `kubectl -n ${NS} logs ${PODS[0]} -c checkout --previous`,
    link: { type: 'node', id: `Pod/${PODS[0]}` },
    objects: PODS.map((name) => ({ kind: 'Pod', namespace: NS, name })),
    members: [1, 2, 3],
  });
  // The key says what the members share, readably: the API serves it.
  assert.equal(crash.key, 'pod.crash-loop warning Pod Pod {name}: container checkout is in CrashLoopBackOff after {n} restarts; last exit code 1 (Error)');
  // A group of one is the finding as it is.
  assert.equal(groups[0]!.message, findings[0]!.message);
  assert.equal(groups[0]!.hint, findings[0]!.hint);
});

test('the same code with a different reason, container or severity is not grouped', () => {
  const findings = [
    crashLoop(PODS[0]!, 8),
    crashLoop(PODS[1]!, 8, '137 (OOMKilled)'),
    crashLoop(PODS[2]!, 8, '2 (Error)'),
    crashLoop('worker-7d9f-abcde', 8, '1 (Error)', 'worker'),
    crashLoop('checkout-q8x4sv2bzk-9zz9z', 8, '1 (Error)', 'checkout', 'critical'),
  ];
  const groups = groupFindings(findings);
  assert.equal(groups.length, 5, groups.map((g) => g.message).join('\n'));
  assert.deepEqual(
    groups.map((g) => g.message),
    findings.map((f) => f.message),
  );
  assert.equal(new Set(findings.map(findingGroupKey)).size, 5);
});

test('identical findings on different objects group, and the verb after the count agrees', () => {
  const groups = groupFindings([classMissing('mobile'), classMissing('mobile-v2'), pending('reports-8fxpwxfjhk-km6r8'), pending('reports-8fxpwxfjhk-xg8l4')]);
  assert.deepEqual(
    groups.map((g) => [g.count, g.message]),
    [
      [2, '2 Ingresses name no ingress class and no IngressClass is annotated as the default: no controller serves it'],
      [2, '2 Pods are Pending: not scheduled (Unschedulable): 0/4 nodes are available: 3 Insufficient cpu.'],
    ],
  );
});

test('numbers that say what is wrong keep findings apart; only restart counts and times vary inside a group', () => {
  const a = noReady('checkout');
  const b = { ...noReady('cart'), message: 'Service cart port 80 (http) -> http: 0 of 3 endpoints ready (3 not ready, 0 terminating)' };
  assert.equal(groupFindings([a, b]).length, 2);
  const c = noReady('cart');
  const [both] = groupFindings([a, c]);
  assert.equal(both?.message, '2 Services port 80 (http) -> http: 0 of 12 endpoints ready (12 not ready, 0 terminating)');
});

test('the host\'s TLS finding repeated per Ingress is one group, whose message lists what differs', () => {
  const host = 'shop.acme.junovy.com';
  const findings = [resolverInfo(host, 'shop', 'shop-tls'), resolverInfo(host, 'shop-legacy', 'shop-legacy-tls'), resolverInfo(host, 'shop-api', 'shop-tls')];
  const groups = groupFindings(findings);
  assert.equal(groups.length, 1);
  const [g] = groups;
  assert.equal(g!.count, 3);
  assert.deepEqual(g!.members, [0, 1, 2]);
  assert.deepEqual(
    g!.objects.map((o) => o.name),
    ['shop', 'shop-legacy', 'shop-api'],
  );
  assert.equal(g!.message, `The certificate of ${host} is managed by Traefik cert resolver letsencrypt; Secret {shop-tls, shop-legacy-tls} is not used`);
  // The name of an Ingress inside a host or a Secret name is not that Ingress.
  assert.ok(!g!.message.includes('{shop,'));
  // The same finding of another host is another group.
  assert.equal(groupFindings([...findings, resolverInfo('api.acme.junovy.com', 'shop', 'shop-tls')]).length, 2);
});

test('many varying values are listed up to three, then counted', () => {
  const host = 'shop.acme.junovy.com';
  const findings = ['a', 'b', 'c', 'd', 'e'].map((n) => resolverInfo(host, n, `${n}-tls`));
  assert.equal(
    groupFindings(findings)[0]!.message,
    `The certificate of ${host} is managed by Traefik cert resolver letsencrypt; Secret {a-tls, b-tls, c-tls, +2 more} is not used`,
  );
});

test('messages that do not line up word by word keep the first member\'s message', () => {
  const host = 'shop.acme.junovy.com';
  const odd = { ...resolverInfo(host, 'shop-legacy', 'x'), message: `The certificate of ${host} is managed by Traefik cert resolver letsencrypt` };
  const [g] = groupFindings([resolverInfo(host, 'shop', 'shop-tls'), odd]);
  assert.equal(g!.count, 2);
  assert.equal(g!.message, resolverInfo(host, 'shop', 'shop-tls').message);
});

test('groups keep the order of the flat list and every finding is in exactly one group', () => {
  const findings = [noReady('checkout'), crashLoop(PODS[0]!, 8), pending('reports-1'), crashLoop(PODS[1]!, 9), pending('reports-2'), classMissing('m')];
  const groups = groupFindings(findings);
  assert.deepEqual(
    groups.map((g) => g.members),
    [[0], [1, 3], [2, 4], [5]],
  );
  assert.deepEqual(groups.flatMap((g) => g.members).sort(), [0, 1, 2, 3, 4, 5]);
  assert.deepEqual(groupFindings([]), []);
});

test('times a fault happened at become their span', () => {
  const oom = (pod: string, at: string, restarts: number): Finding => ({
    ...crashLoop(pod, restarts),
    code: 'pod.oom-killed',
    message: `Pod ${pod}: container checkout was OOMKilled at ${at} (${restarts} restarts)`,
  });
  const [g] = groupFindings([oom('a-1', '2026-11-26T09:20:00Z', 4), oom('a-2', '2026-11-26T09:05:00Z', 3)]);
  assert.equal(g!.message, '2 Pods: container checkout was OOMKilled at 2026-11-26T09:05:00Z – 2026-11-26T09:20:00Z (3–4 restarts)');
});

test('kinds are put in the plural', () => {
  assert.deepEqual(['Pod', 'Ingress', 'Service', 'Gateway', 'IngressClass', 'Policy'].map(pluralKind), ['Pods', 'Ingresses', 'Services', 'Gateways', 'IngressClasses', 'Policies']);
});
