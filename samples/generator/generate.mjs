#!/usr/bin/env node
// Writes samples/cluster/: the sample cluster dump (seven client environments of a Traefik cluster plus
// system namespaces) and its README, the ground truth the tests check the engine against.
//
//   node samples/generator/generate.mjs
//
// Each broken domain is broken in exactly one way; the `expect` of each scenario below is what the README
// table states and what lib/cli/sample-cluster.test.ts asserts.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { DAY, HOUR, MIN, Namespace, REFERENCE_TIME, ago, ingressClass } from './k8s.mjs';
import { loadPki } from './pki.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', 'cluster');
const pki = await loadPki(join(here, 'pki.json'));

/** Rows of the README table, in the order scenarios are declared. */
const expectations = [];
const expect = (host, ns, health, codes, story) => expectations.push({ host, ns: ns.name, health, codes, story });
/** Findings that belong to no domain (NamespaceSummary.findings). */
const nsExpectations = [];

// ---------------------------------------------------------------------------------------------- helpers

const HELM = (release, ns) => ({ 'meta.helm.sh/release-name': release, 'meta.helm.sh/release-namespace': ns });
const appLabels = (app, version) => ({
  'app.kubernetes.io/instance': app,
  'app.kubernetes.io/managed-by': 'Helm',
  'app.kubernetes.io/name': app,
  'app.kubernetes.io/version': version,
});

/** The annotations every client Ingress of this cluster carries (Traefik websecure + ACME + external-dns). */
function traefik(hosts, { resolver = 'letsencrypt', dns = hosts, extra = {} } = {}) {
  const a = {
    'external-dns.alpha.kubernetes.io/hostname': dns.join(','),
    'traefik.ingress.kubernetes.io/router.entrypoints': 'websecure',
    ...extra,
  };
  if (resolver) a['traefik.ingress.kubernetes.io/router.tls.certresolver'] = resolver;
  return a;
}

const svcBackend = (name, port) => ({ service: { name, port: typeof port === 'number' ? { number: port } : { name: port } } });

/**
 * One web application the usual way: a Deployment's pods, a ClusterIP Service port 80 -> the container
 * port, an Ingress for one host with TLS from the Traefik resolver. `svc` and `ing` override parts to
 * break exactly one link.
 */
function webApp(ns, { app, host, image, port = 8080, portName = 'http', created, pods, svc = {}, ing = {}, deploy = {} }) {
  const selector = { app };
  const podList = ns.deployment({
    name: app,
    labels: { app, ...deploy.labels },
    image,
    oldImage: deploy.oldImage,
    ports: deploy.ports ?? [{ name: portName, containerPort: port }],
    created: created - 2 * MIN,
    resources: deploy.resources,
    pods,
  });
  const service =
    svc === null
      ? undefined
      : ns.service({
          name: svc.name ?? app,
          labels: { ...appLabels(app, image.split(':')[1]), ...svc.labels },
          selector: 'selector' in svc ? svc.selector : selector,
          ports: svc.ports ?? [{ name: 'http', port: 80, targetPort: portName ? portName : port }],
          type: svc.type,
          externalName: svc.externalName,
          created,
        });
  const ingress =
    ing === null
      ? undefined
      : ns.ingress({
          name: ing.name ?? app,
          className: 'className' in ing ? ing.className : 'traefik-external',
          annotations: ing.annotations ?? { ...HELM(app, ns.name), ...traefik([host]) },
          labels: appLabels(app, image.split(':')[1]),
          rules: 'rules' in ing ? ing.rules : [{ host, paths: [{ backend: ing.backend ?? svcBackend(svc?.name ?? app, 80) }] }],
          defaultBackend: ing.defaultBackend,
          tls: 'tls' in ing ? ing.tls : [{ hosts: [host], secretName: `${app}-tls` }],
          address: ing.address ?? true,
          created,
        });
  return { pods: podList, service, ingress };
}

const ready = (n) => Array.from({ length: n }, () => ({ state: 'ready' }));

// ------------------------------------------------------------------------------------- system namespaces

const kubeSystem = new Namespace('kube-system', { created: 400 * DAY });
const traefikNs = new Namespace('traefik', { created: 400 * DAY });
const defaultNs = new Namespace('default', { created: 400 * DAY });
const kubePublic = new Namespace('kube-public', { created: 400 * DAY });
const kubeNodeLease = new Namespace('kube-node-lease', { created: 400 * DAY });

{
  const dnsPods = kubeSystem.deployment({
    name: 'coredns',
    labels: { 'k8s-app': 'kube-dns' },
    image: 'rancher/mirrored-coredns-coredns:1.12.3',
    ports: [
      { name: 'dns', containerPort: 53 },
      { name: 'metrics', containerPort: 9153 },
    ],
    readiness: '/ready',
    created: 400 * DAY,
    pods: ready(2),
  });
  kubeSystem.service({
    name: 'kube-dns',
    labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' },
    selector: { 'k8s-app': 'kube-dns' },
    ports: [
      { name: 'dns', port: 53, targetPort: 53 },
      { name: 'metrics', port: 9153, targetPort: 9153 },
    ],
    created: 400 * DAY,
  });
  kubeSystem.deployment({
    name: 'metrics-server',
    labels: { 'k8s-app': 'metrics-server' },
    image: 'rancher/mirrored-metrics-server:v0.8.0',
    ports: [{ name: 'https', containerPort: 10250 }],
    readiness: '/readyz',
    created: 400 * DAY,
    pods: [{ state: 'restarting', restarts: 4, exitCode: 1, lastStarted: 2 * DAY, lastFinished: 30 * MIN }],
  });
  kubeSystem.service({
    name: 'metrics-server',
    labels: { 'k8s-app': 'metrics-server' },
    selector: { 'k8s-app': 'metrics-server' },
    ports: [{ name: 'https', port: 443, targetPort: 'https' }],
    created: 400 * DAY,
  });
  kubeSystem.event({
    object: dnsPods[0],
    reason: 'Unhealthy',
    message: 'Readiness probe failed: HTTP probe failed with statuscode: 503',
    count: 2,
    first: 3 * HOUR,
    last: 3 * HOUR - 20,
    component: 'kubelet',
    host: dnsPods[0].spec.nodeName,
    fieldPath: 'spec.containers{coredns}',
  });

  traefikNs.deployment({
    name: 'traefik',
    labels: { 'app.kubernetes.io/instance': 'traefik-traefik', 'app.kubernetes.io/name': 'traefik' },
    image: 'docker.io/traefik:v3.5.3',
    ports: [
      { name: 'metrics', containerPort: 9100 },
      { name: 'traefik', containerPort: 8080 },
      { name: 'web', containerPort: 8000 },
      { name: 'websecure', containerPort: 8443 },
    ],
    readiness: '/ping',
    created: 30 * DAY,
    pods: ready(2),
  });
  traefikNs.service({
    name: 'traefik',
    labels: { 'app.kubernetes.io/instance': 'traefik-traefik', 'app.kubernetes.io/managed-by': 'Helm', 'app.kubernetes.io/name': 'traefik' },
    selector: { 'app.kubernetes.io/instance': 'traefik-traefik', 'app.kubernetes.io/name': 'traefik' },
    type: 'LoadBalancer',
    ports: [
      { name: 'web', port: 80, targetPort: 'web', nodePort: 31080 },
      { name: 'websecure', port: 443, targetPort: 'websecure', nodePort: 31443 },
    ],
    created: 400 * DAY,
  });
  // Not a client domain: the prefix filter must leave it out (its Service does not even exist).
  traefikNs.ingress({
    name: 'traefik-dashboard',
    className: 'traefik-external',
    annotations: { 'traefik.ingress.kubernetes.io/router.entrypoints': 'websecure' },
    rules: [{ host: 'traefik.internal.junovy.com', paths: [{ backend: svcBackend('traefik-dashboard', 9000) }] }],
    created: 30 * DAY,
  });

  // The API server's own Service: no selector, which would be a finding in a client namespace.
  defaultNs.service({ name: 'kubernetes', labels: { component: 'apiserver', provider: 'kubernetes' }, selector: undefined, ports: [{ name: 'https', port: 443, targetPort: 6443 }], created: 400 * DAY });
}

// ----------------------------------------------------------------------------------- client environments

const clientLabels = (client) => ({ 'junovy.com/client': client, 'junovy.com/tier': 'hosting' });

// hst-my-client: the seed example, one healthy chain from Ingress rule to ready Pods; tests pin it exactly.
const myClient = new Namespace('hst-my-client', { created: 210 * DAY, labels: clientLabels('my-client') });
{
  const host = 'app.my-client.junovy.com';
  webApp(myClient, {
    app: 'my-app',
    host,
    image: 'registry.junovy.com/my-client/my-app:2.4.1',
    port: 8080,
    portName: undefined,
    created: 12 * DAY,
    pods: ready(3),
    svc: { ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
    ing: {
      annotations: {
        'external-dns.alpha.kubernetes.io/hostname': host,
        'traefik.ingress.kubernetes.io/router.entrypoints': 'websecure',
        'traefik.ingress.kubernetes.io/router.tls.certresolver': 'letsencrypt',
      },
      tls: [{ hosts: [host], secretName: 'my-app-tls' }],
    },
  });
  expect(host, myClient, 'healthy', ['tls.managed-by-resolver'],
    'The seed example: 3 ready pods behind my-app:80 -> 8080; the certificate comes from the letsencrypt resolver, so the missing Secret my-app-tls is expected.');
}

// hst-acme: a web shop with several services.
const acme = new Namespace('hst-acme', { created: 380 * DAY, labels: clientLabels('acme') });
{
  webApp(acme, { app: 'storefront', host: 'www.acme.junovy.com', image: 'registry.junovy.com/acme/storefront:5.12.0', created: 40 * DAY, pods: ready(3) });
  expect('www.acme.junovy.com', acme, 'healthy', ['tls.managed-by-resolver'], 'Healthy storefront, 3 of 3 pods ready.');

  const api = webApp(acme, {
    app: 'api',
    host: 'api.acme.junovy.com',
    image: 'registry.junovy.com/acme/api:3.7.4',
    created: 25 * DAY,
    pods: [{ state: 'ready' }, { state: 'not-ready', notReadySince: 47 * MIN }, { state: 'ready' }],
  });
  const sick = api.pods[1];
  acme.event({
    object: sick,
    reason: 'Unhealthy',
    message: 'Readiness probe failed: HTTP probe failed with statuscode: 503',
    count: 283,
    first: 47 * MIN,
    last: 10,
    component: 'kubelet',
    host: sick.spec.nodeName,
    fieldPath: 'spec.containers{api}',
  });
  expect('api.acme.junovy.com', acme, 'degraded', ['service.some-endpoints-not-ready', 'pod.not-ready', 'tls.managed-by-resolver'],
    'One of 3 api pods fails its readiness probe (503 from /healthz: its database pool is exhausted); the other two serve.');

  webApp(acme, {
    app: 'preview-router',
    host: '*.preview.acme.junovy.com',
    image: 'registry.junovy.com/acme/preview-router:1.3.0',
    created: 60 * DAY,
    pods: ready(2),
    ing: { tls: [{ hosts: ['*.preview.acme.junovy.com'], secretName: 'preview-wildcard-tls' }] },
  });
  expect('*.preview.acme.junovy.com', acme, 'healthy', ['tls.managed-by-resolver'],
    'Wildcard host: every pull-request preview (pr-123.preview.acme.junovy.com) goes to the preview router; 2 of 2 pods ready.');

  const checkout = webApp(acme, {
    app: 'checkout',
    host: 'checkout.acme.junovy.com',
    image: 'registry.junovy.com/acme/checkout:2.0.0',
    created: 20 * MIN,
    pods: [
      { state: 'crash-loop', restarts: 8, exitCode: 1, lastFinished: 2 * MIN },
      { state: 'crash-loop', restarts: 8, exitCode: 1, lastFinished: 1 * MIN },
    ],
  });
  for (const p of checkout.pods) {
    acme.event({
      object: p,
      reason: 'BackOff',
      message: `Back-off restarting failed container checkout in pod ${p.metadata.name}_hst-acme(${p.metadata.uid})`,
      count: 71,
      first: 19 * MIN,
      last: 15,
      component: 'kubelet',
      host: p.spec.nodeName,
      fieldPath: 'spec.containers{checkout}',
    });
  }
  expect('checkout.acme.junovy.com', acme, 'down', ['service.no-ready-endpoints', 'pod.crash-loop', 'tls.managed-by-resolver'],
    'Release 2.0.0 exits at start-up (missing STRIPE_API_KEY): both pods in CrashLoopBackOff, no ready endpoint.');

  // Two Ingresses claim shop.acme.junovy.com/: the new shop and a leftover of the migration.
  webApp(acme, { app: 'shop', host: 'shop.acme.junovy.com', image: 'registry.junovy.com/acme/shop:1.0.3', created: 5 * DAY, pods: ready(2) });
  webApp(acme, {
    app: 'shop-legacy',
    host: 'shop.acme.junovy.com',
    image: 'registry.junovy.com/acme/shop-legacy:0.9.17',
    created: 300 * DAY,
    pods: ready(2),
    ing: { tls: [{ hosts: ['shop.acme.junovy.com'], secretName: 'shop-legacy-tls' }] },
  });
  expect('shop.acme.junovy.com', acme, 'degraded', ['ingress.route-conflict', 'tls.managed-by-resolver'],
    'Route conflict: Ingresses shop and shop-legacy both claim shop.acme.junovy.com path / (the old one was never deleted after the migration); both backends are healthy.');
}

// hst-bakery-bros: a small bakery chain; its problems are all in the pods.
const bakery = new Namespace('hst-bakery-bros', { created: 150 * DAY, labels: clientLabels('bakery-bros') });
{
  const orders = webApp(bakery, {
    app: 'orders',
    host: 'orders.bakery-bros.junovy.com',
    image: 'registry.junovy.com/bakery-bros/orders:v2.3.0',
    created: 35 * MIN,
    pods: [{ state: 'image-pull' }, { state: 'image-pull' }],
  });
  for (const p of orders.pods) {
    const img = p.spec.containers[0].image;
    bakery.event({
      object: p,
      reason: 'Failed',
      message: `Failed to pull image "${img}": rpc error: code = NotFound desc = failed to pull and unpack image "${img}": failed to resolve reference "${img}": registry.junovy.com/bakery-bros/orders:v2.3.0: not found`,
      count: 8,
      first: 34 * MIN,
      last: 4 * MIN,
      component: 'kubelet',
      host: p.spec.nodeName,
      fieldPath: 'spec.containers{orders}',
    });
    bakery.event({
      object: p,
      reason: 'BackOff',
      message: `Back-off pulling image "${img}"`,
      count: 142,
      first: 34 * MIN,
      last: 25,
      component: 'kubelet',
      host: p.spec.nodeName,
      fieldPath: 'spec.containers{orders}',
    });
  }
  expect('orders.bakery-bros.junovy.com', bakery, 'down', ['service.no-ready-endpoints', 'pod.image-pull', 'tls.managed-by-resolver'],
    'The tag v2.3.0 was never pushed: both pods in ImagePullBackOff, no ready endpoint.');

  webApp(bakery, {
    app: 'cms',
    host: 'cms.bakery-bros.junovy.com',
    image: 'registry.junovy.com/bakery-bros/cms:6.8.3',
    created: 90 * DAY,
    deploy: { resources: { limits: { memory: '512Mi' }, requests: { cpu: '100m', memory: '256Mi' } } },
    pods: [{ state: 'ready' }, { state: 'oom-killed', restarts: 1, lastStarted: 3 * DAY, lastFinished: 22 * MIN }],
  });
  expect('cms.bakery-bros.junovy.com', bakery, 'degraded', ['pod.oom-killed', 'tls.managed-by-resolver'],
    'One cms pod was OOMKilled 22 minutes ago (limit 512Mi during an image import) and restarted; it serves again, but it will happen again.');

  const reports = webApp(bakery, {
    app: 'reports',
    host: 'reports.bakery-bros.junovy.com',
    image: 'registry.junovy.com/bakery-bros/reports:1.2.0',
    created: 15 * MIN,
    deploy: { resources: { limits: { memory: '4Gi' }, requests: { cpu: '6', memory: '2Gi' } } },
    pods: [
      { state: 'pending', unschedulableMessage: '0/4 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, 3 Insufficient cpu. preemption: 0/4 nodes are available: 1 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod.' },
      { state: 'pending', unschedulableMessage: '0/4 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, 3 Insufficient cpu. preemption: 0/4 nodes are available: 1 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod.' },
    ],
  });
  for (const p of reports.pods) {
    bakery.event({
      object: p,
      reason: 'FailedScheduling',
      message: p.status.conditions[0].message,
      count: 4,
      first: 14 * MIN,
      last: 2 * MIN,
      component: 'default-scheduler',
    });
  }
  expect('reports.bakery-bros.junovy.com', bakery, 'down', ['service.no-endpoints', 'pod.pending', 'tls.managed-by-resolver'],
    'The new reports service requests 6 CPUs per pod; no node has that much free: both pods Pending (Insufficient cpu), no endpoints at all.');

  const newsletter = webApp(bakery, {
    app: 'newsletter',
    host: 'newsletter.bakery-bros.junovy.com',
    image: 'registry.junovy.com/bakery-bros/newsletter:4.1.0',
    created: 50 * MIN,
    pods: [
      { state: 'config-error', configMessage: 'secret "newsletter-smtp" not found' },
      { state: 'config-error', configMessage: 'secret "newsletter-smtp" not found' },
    ],
  });
  for (const p of newsletter.pods) {
    bakery.event({
      object: p,
      reason: 'Failed',
      message: 'Error: secret "newsletter-smtp" not found',
      count: 231,
      first: 48 * MIN,
      last: 40,
      component: 'kubelet',
      host: p.spec.nodeName,
      fieldPath: 'spec.containers{newsletter}',
    });
  }
  expect('newsletter.bakery-bros.junovy.com', bakery, 'down', ['service.no-ready-endpoints', 'pod.config-error', 'tls.managed-by-resolver'],
    'The newsletter pods reference Secret newsletter-smtp, which was never created: CreateContainerConfigError, no ready endpoint.');

  const www = webApp(bakery, {
    app: 'website',
    host: 'www.bakery-bros.junovy.com',
    image: 'registry.junovy.com/bakery-bros/website:3.3.1',
    created: 70 * DAY,
    pods: [
      { state: 'ready' },
      { state: 'ready' },
      {
        state: 'evicted',
        created: 9 * DAY,
        evictedAt: 2 * HOUR,
        evictionMessage: 'The node was low on resource: memory. Threshold quantity: 100Mi, available: 91224Ki. Container website was using 1523408Ki, request is 128Mi, has larger consumption of memory. ',
      },
    ],
  });
  bakery.event({
    object: www.pods[2],
    reason: 'Evicted',
    message: www.pods[2].status.message,
    count: 1,
    first: 2 * HOUR,
    last: 2 * HOUR,
    component: 'kubelet',
    host: www.pods[2].spec.nodeName,
  });
  expect('www.bakery-bros.junovy.com', bakery, 'healthy', ['pod.failed', 'tls.managed-by-resolver'],
    'A website pod was Evicted (node memory pressure) two hours ago and left behind as Failed; its replacement and the other pod serve, so the domain is healthy and the leftover is an info with its clean-up command.');
}

// hst-northwind: a travel agency whose Services and Ingress backends were edited by hand.
const northwind = new Namespace('hst-northwind', { created: 260 * DAY, labels: clientLabels('northwind') });
{
  webApp(northwind, {
    app: 'booking',
    host: 'booking.northwind.junovy.com',
    image: 'registry.junovy.com/northwind/booking:8.2.0',
    created: 3 * HOUR,
    pods: ready(2),
    svc: { selector: { app: 'bookng' } },
  });
  expect('booking.northwind.junovy.com', northwind, 'down', ['service.selector-matches-nothing', 'tls.managed-by-resolver'],
    'Service selector typo app: bookng (the pods are app: booking): the Service selects no pod, its EndpointSlice is empty.');

  webApp(northwind, {
    app: 'partner-api',
    host: 'api.northwind.junovy.com',
    image: 'registry.junovy.com/northwind/partner-api:2.9.1',
    created: 6 * HOUR,
    portName: 'web',
    pods: ready(2),
    svc: { ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
  });
  expect('api.northwind.junovy.com', northwind, 'down', ['service.target-port-unmatched', 'tls.managed-by-resolver'],
    'Service targetPort http, but the container names its port web: the EndpointSlice lists the pods with no port, so nothing serves port 80.');

  webApp(northwind, {
    app: 'blog',
    host: 'blog.northwind.junovy.com',
    image: 'registry.junovy.com/northwind/blog:6.4.2',
    created: 2 * DAY,
    pods: ready(2),
    svc: { name: 'northwind-blog' },
    ing: { backend: svcBackend('blog', 80) },
  });
  expect('blog.northwind.junovy.com', northwind, 'down', ['ingress.backend-service-missing', 'tls.managed-by-resolver'],
    'The Ingress points at Service blog; the Service is called northwind-blog (renamed by a chart upgrade). Pods and Service are healthy.');

  webApp(northwind, {
    app: 'docs',
    host: 'docs.northwind.junovy.com',
    image: 'registry.junovy.com/northwind/docs:1.0.9',
    created: 8 * DAY,
    pods: ready(2),
    ing: { backend: svcBackend('docs', 8080) },
  });
  expect('docs.northwind.junovy.com', northwind, 'down', ['ingress.backend-port-missing', 'tls.managed-by-resolver'],
    'The Ingress backend asks Service docs for port 8080 (the container port); the Service only exposes 80.');

  webApp(northwind, {
    app: 'mobile',
    host: 'm.northwind.junovy.com',
    image: 'registry.junovy.com/northwind/mobile:2.1.0',
    created: 1 * DAY,
    pods: ready(2),
    ing: { className: undefined, address: false },
  });
  expect('m.northwind.junovy.com', northwind, 'down', ['ingress.class-missing', 'tls.managed-by-resolver'],
    'Ingress without ingressClassName (from an old chart) and the cluster has no default IngressClass: no controller serves it, so it has no address either.');
}

// hst-globex: Ingress-level mistakes.
const globex = new Namespace('hst-globex', { created: 330 * DAY, labels: clientLabels('globex') });
{
  webApp(globex, {
    app: 'corporate',
    host: 'www.globex.junovy.com',
    image: 'registry.junovy.com/globex/corporate:12.0.1',
    created: 4 * HOUR,
    pods: ready(2),
    ing: { className: 'nginx', address: false },
  });
  expect('www.globex.junovy.com', globex, 'down', ['ingress.class-unknown', 'tls.managed-by-resolver'],
    'ingressClassName nginx, copied from the old cluster: no such IngressClass here, so no controller serves it (and it has no address).');

  webApp(globex, {
    app: 'statuspage',
    host: 'status.globex.junovy.com',
    image: 'registry.junovy.com/globex/statuspage:0.14.2',
    created: 90 * MIN,
    pods: ready(2),
    ing: { address: false },
  });
  expect('status.globex.junovy.com', globex, 'degraded', ['ingress.no-address', 'tls.managed-by-resolver'],
    'Traefik has not published an address in the Ingress status (status.loadBalancer is empty), so external-dns has nothing to point the record at.');

  webApp(globex, {
    app: 'portal',
    host: 'portal.globex.junovy.com',
    image: 'registry.junovy.com/globex/portal:4.0.2',
    created: 33 * DAY,
    pods: ready(2),
    ing: {
      annotations: { ...HELM('portal', 'hst-globex'), ...traefik(['portal.globex.junovy.com', 'portal-eu.globex.junovy.com']) },
      rules: [
        { host: 'portal.globex.junovy.com', paths: [{ backend: svcBackend('portal', 80) }] },
        { host: 'portal-eu.globex.junovy.com', paths: [{ backend: svcBackend('portal', 80) }] },
      ],
      tls: [{ hosts: ['portal.globex.junovy.com'], secretName: 'portal-tls' }],
    },
  });
  expect('portal.globex.junovy.com', globex, 'healthy', ['tls.managed-by-resolver'], 'Healthy portal; shares its Ingress with portal-eu below.');
  expect('portal-eu.globex.junovy.com', globex, 'degraded', ['ingress.tls-host-uncovered', 'tls.managed-by-resolver'],
    'The EU host was added to the rules of Ingress portal but not to tls.hosts: on websecure it gets no certificate of its own.');

  webApp(globex, {
    app: 'assets',
    host: 'static.globex.junovy.com',
    image: 'registry.junovy.com/globex/assets:2.2.0',
    created: 10 * DAY,
    pods: ready(2),
    ing: { backend: { resource: { apiGroup: 'storage.gke.io', kind: 'StorageBucket', name: 'globex-static-assets' } } },
  });
  expect('static.globex.junovy.com', globex, 'degraded', ['ingress.backend-invalid', 'tls.managed-by-resolver'],
    'The backend is a resource (a GKE StorageBucket, copied from a GKE example), not a Service. Chainboard cannot follow a resource backend, so the chain is unverified: a warning.');

  globex.ingress({
    name: 'maintenance',
    className: 'traefik-external',
    annotations: HELM('maintenance', 'hst-globex'),
    rules: undefined,
    created: 2 * DAY,
  });
  nsExpectations.push({ ns: 'hst-globex', codes: ['ingress.no-rules'], story: 'Ingress maintenance has neither rules nor a default backend (left empty between two maintenance windows).' });
}

// hst-initech: healthy-but-noteworthy cases (info findings) and DNS.
const initech = new Namespace('hst-initech', { created: 500 * DAY, labels: clientLabels('initech') });
{
  webApp(initech, {
    app: 'app',
    host: 'app.initech.junovy.com',
    image: 'registry.junovy.com/initech/app:7.3.0',
    created: 16 * DAY,
    pods: ready(2),
    ing: { annotations: { ...HELM('app', 'hst-initech'), ...traefik(['app.initech.junovy.com'], { dns: ['app.initech.junovy.co'] }) } },
  });
  expect('app.initech.junovy.com', initech, 'degraded', ['dns.annotation-mismatch', 'tls.managed-by-resolver'],
    'external-dns hostname annotation says app.initech.junovy.co (typo): no DNS record is made for the rule host.');

  webApp(initech, {
    app: 'legacy',
    host: 'legacy.initech.junovy.com',
    image: 'registry.junovy.com/initech/legacy-proxy:1.0.0',
    created: 200 * DAY,
    pods: [],
    svc: { type: 'ExternalName', externalName: 'legacy-app.initech-onprem.example.com', selector: undefined, ports: [{ name: 'http', port: 80, targetPort: 80 }] },
  });
  expect('legacy.initech.junovy.com', initech, 'healthy', ['service.externalname', 'tls.managed-by-resolver'],
    'The Service is an ExternalName for the on-premises legacy app: no endpoints are expected.');

  webApp(initech, {
    app: 'website',
    host: 'www.initech.junovy.com',
    image: 'registry.junovy.com/initech/website:5.1.0',
    deploy: { oldImage: 'registry.junovy.com/initech/website:5.0.4' },
    created: 120 * DAY,
    pods: [
      { state: 'ready', created: 3 * MIN },
      { state: 'ready', created: 2 * MIN },
      { state: 'ready', created: 1 * MIN },
      { state: 'terminating', old: true, created: 20 * DAY, deletedAgo: 10 },
    ],
  });
  expect('www.initech.junovy.com', initech, 'healthy', ['service.endpoints-terminating', 'tls.managed-by-resolver'],
    'A rollout to 5.1.0 is finishing: 3 new pods ready, the last old pod is terminating (within its grace period).');

  webApp(initech, {
    app: 'intranet',
    host: 'intranet.initech.junovy.com',
    image: 'registry.junovy.com/initech/intranet:2.2.2',
    created: 80 * DAY,
    pods: ready(1),
  });
  expect('intranet.initech.junovy.com', initech, 'healthy', ['service.single-endpoint', 'tls.managed-by-resolver'],
    'A single replica: healthy, but no redundancy.');

  webApp(initech, {
    app: 'maintenance-page',
    host: undefined,
    image: 'registry.junovy.com/initech/maintenance-page:1.1.0',
    created: 300 * DAY,
    pods: ready(2),
    ing: { name: 'catch-all', rules: undefined, tls: undefined, defaultBackend: svcBackend('maintenance-page', 80), annotations: HELM('maintenance-page', 'hst-initech') },
  });
  expect('*', initech, 'healthy', [],
    'Ingress catch-all has only a default backend (the maintenance page); it is shown as host *.');

  webApp(initech, {
    app: 'crm',
    host: 'crm.initech.junovy.com',
    image: 'registry.junovy.com/initech/crm:1.0.0',
    created: 45 * DAY,
    pods: [],
    svc: { selector: undefined },
  });
  expect('crm.initech.junovy.com', initech, 'down', ['service.no-selector', 'tls.managed-by-resolver'],
    'Service crm has no selector: it used hand-made Endpoints for a VM, deleted when the VM was retired. No EndpointSlice exists.');

  const git = webApp(initech, {
    app: 'git',
    host: 'git.initech.junovy.com',
    image: 'registry.junovy.com/initech/gitea:1.24.6',
    created: 150 * DAY,
    pods: [
      { state: 'ready' },
      { state: 'ready' },
      { state: 'ready', created: 2 * HOUR + 40 * MIN },
      { state: 'terminating-stuck', node: 'worker-4', created: 20 * DAY, deletedAgo: 2 * HOUR + 45 * MIN, nodeLostAgo: 3 * HOUR + 10 * MIN },
    ],
  });
  initech.event({
    object: git.pods[3],
    reason: 'NodeNotReady',
    message: 'Node is not ready',
    count: 1,
    first: 3 * HOUR + 10 * MIN,
    last: 3 * HOUR + 10 * MIN,
    component: 'node-controller',
  });
  expect('git.initech.junovy.com', initech, 'degraded', ['pod.terminating-stuck', 'service.endpoints-terminating', 'tls.managed-by-resolver'],
    'Node worker-4 went away: its git pod was evicted nearly 3 hours ago but is still Terminating (no kubelet confirms); 3 other pods serve.');

  const tickets = webApp(initech, {
    app: 'tickets',
    host: 'tickets.initech.junovy.com',
    image: 'registry.junovy.com/initech/tickets:3.0.2',
    created: 30 * DAY,
    pods: [{ state: 'ready' }, { state: 'restarting', restarts: 9, exitCode: 2, lastStarted: 64 * MIN, lastFinished: 18 * MIN }],
  });
  initech.event({
    object: tickets.pods[1],
    reason: 'BackOff',
    message: `Back-off restarting failed container tickets in pod ${tickets.pods[1].metadata.name}_hst-initech(${tickets.pods[1].metadata.uid})`,
    count: 9,
    first: 2 * DAY,
    last: 18 * MIN,
    component: 'kubelet',
    host: tickets.pods[1].spec.nodeName,
    fieldPath: 'spec.containers{tickets}',
  });
  expect('tickets.initech.junovy.com', initech, 'degraded', ['pod.restarting', 'tls.managed-by-resolver'],
    'One tickets pod has restarted 9 times, last 18 minutes ago (exit 2, a panic on a malformed e-mail); it runs again.');
}

// hst-umbrella: a health-care client with its own certificates and cert-manager: the tls rules.
const umbrella = new Namespace('hst-umbrella', { created: 95 * DAY, labels: clientLabels('umbrella') });
{
  const noResolver = (host, extra = {}) => ({ ...HELM(host.split('.')[0], 'hst-umbrella'), ...traefik([host], { resolver: null, extra }) });

  const portal = webApp(umbrella, {
    app: 'portal',
    host: 'portal.umbrella.junovy.com',
    image: 'registry.junovy.com/umbrella/portal:1.9.0',
    created: 60 * DAY,
    pods: ready(2),
    ing: {
      annotations: noResolver('portal.umbrella.junovy.com', { 'cert-manager.io/cluster-issuer': 'umbrella-ca' }),
      tls: [{ hosts: ['portal.umbrella.junovy.com'], secretName: 'portal-umbrella-tls' }],
    },
  });
  const leaf = pki.leaves['portal-umbrella'];
  umbrella.certificate({
    ingress: portal.ingress,
    secretName: 'portal-umbrella-tls',
    dnsNames: leaf.dnsNames,
    issuer: 'umbrella-ca',
    created: 60 * DAY,
    status: {
      conditions: [{ lastTransitionTime: leaf.notBefore, message: 'Certificate is up to date and has not expired', observedGeneration: 1, reason: 'Ready', status: 'True', type: 'Ready' }],
      notAfter: leaf.notAfter,
      notBefore: leaf.notBefore,
      renewalTime: '2032-09-13T08:00:00Z',
      revision: 1,
    },
  });
  umbrella.tlsSecret({
    name: 'portal-umbrella-tls',
    created: 60 * DAY,
    crt: leaf.crt,
    key: leaf.key,
    ca: leaf.ca,
    labels: { 'controller.cert-manager.io/fao': 'true' },
    annotations: {
      'cert-manager.io/alt-names': leaf.dnsNames.join(','),
      'cert-manager.io/certificate-name': 'portal-umbrella-tls',
      'cert-manager.io/common-name': leaf.dnsNames[0],
      'cert-manager.io/ip-sans': '',
      'cert-manager.io/issuer-group': 'cert-manager.io',
      'cert-manager.io/issuer-kind': 'ClusterIssuer',
      'cert-manager.io/issuer-name': 'umbrella-ca',
      'cert-manager.io/uri-sans': '',
    },
  });
  expect('portal.umbrella.junovy.com', umbrella, 'healthy', ['tls.managed-by-resolver'],
    'cert-manager (ClusterIssuer umbrella-ca) issued the certificate: Certificate Ready, Secret present, valid until 2036 for this host.');

  webApp(umbrella, {
    app: 'billing',
    host: 'billing.umbrella.junovy.com',
    image: 'registry.junovy.com/umbrella/billing:4.4.0',
    created: 90 * DAY,
    pods: ready(2),
    ing: { annotations: noResolver('billing.umbrella.junovy.com'), tls: [{ hosts: ['billing.umbrella.junovy.com'], secretName: 'billing-tls' }] },
  });
  const billing = pki.leaves['billing-umbrella'];
  umbrella.tlsSecret({ name: 'billing-tls', created: 90 * DAY, crt: billing.crt, key: billing.key });
  expect('billing.umbrella.junovy.com', umbrella, 'down', ['tls.secret-cert-expired'],
    'A purchased certificate in Secret billing-tls expired on 2026-10-31 and nobody renewed it.');

  webApp(umbrella, {
    app: 'records',
    host: 'records.umbrella.junovy.com',
    image: 'registry.junovy.com/umbrella/records:2.0.1',
    created: 20 * DAY,
    pods: ready(2),
    ing: { annotations: noResolver('records.umbrella.junovy.com'), tls: [{ hosts: ['records.umbrella.junovy.com'], secretName: 'records-tls' }] },
  });
  const records = pki.leaves['records-umbrella'];
  umbrella.tlsSecret({ name: 'records-tls', created: 20 * DAY, crt: records.crt, key: records.key });
  expect('records.umbrella.junovy.com', umbrella, 'down', ['tls.secret-host-mismatch'],
    'Secret records-tls holds the certificate of the old brand domain (records.umbrella-health.com), not of this host.');

  webApp(umbrella, {
    app: 'labs',
    host: 'labs.umbrella.junovy.com',
    image: 'registry.junovy.com/umbrella/labs:0.8.0',
    created: 7 * DAY,
    pods: ready(2),
    ing: { annotations: noResolver('labs.umbrella.junovy.com'), tls: [{ hosts: ['labs.umbrella.junovy.com'], secretName: 'labs-tls' }] },
  });
  expect('labs.umbrella.junovy.com', umbrella, 'down', ['tls.secret-missing'],
    'No resolver and no cert-manager: the certificate must come from Secret labs-tls, which does not exist (deleted in a clean-up).');

  const careers = webApp(umbrella, {
    app: 'careers',
    host: 'careers.umbrella.junovy.com',
    image: 'registry.junovy.com/umbrella/careers:1.0.0',
    created: 3 * HOUR,
    pods: ready(2),
    ing: {
      annotations: noResolver('careers.umbrella.junovy.com', { 'cert-manager.io/cluster-issuer': 'letsencrypt-prod' }),
      tls: [{ hosts: ['careers.umbrella.junovy.com'], secretName: 'careers-tls' }],
    },
  });
  umbrella.certificate({
    ingress: careers.ingress,
    secretName: 'careers-tls',
    dnsNames: ['careers.umbrella.junovy.com'],
    issuer: 'letsencrypt-prod',
    created: 3 * HOUR,
    status: {
      conditions: [
        {
          lastTransitionTime: ago(3 * HOUR - 5),
          message: 'The certificate request has failed to complete and will be retried: Failed to wait for order resource "careers-tls-1-2873648561" to become ready: order is in "errored" state: Failed to create Order: 429 urn:ietf:params:acme:error:rateLimited: too many certificates (5) already issued for this exact set of identifiers in the last 168h0m0s',
          observedGeneration: 1,
          reason: 'Failed',
          status: 'False',
          type: 'Issuing',
        },
        { lastTransitionTime: ago(3 * HOUR - 5), message: 'Issuing certificate as Secret does not exist', observedGeneration: 1, reason: 'DoesNotExist', status: 'False', type: 'Ready' },
      ],
      failedIssuanceAttempts: 3,
      lastFailureTime: ago(40 * MIN),
    },
  });
  expect('careers.umbrella.junovy.com', umbrella, 'down', ['tls.certificate-not-ready', 'tls.managed-by-resolver'],
    'cert-manager cannot issue the first certificate (Let\'s Encrypt rate limit): Certificate careers-tls is not Ready and its Secret does not exist yet.');
}

// ------------------------------------------------------------------------------------------------ files

const CLIENTS = [myClient, acme, bakery, northwind, globex, initech, umbrella];
const SYSTEM = [defaultNs, kubeNodeLease, kubePublic, kubeSystem, traefikNs];

const yamlOpts = { sortMapEntries: true, indentSeq: false, version: '1.1', lineWidth: 0 };
/** kubectl sorts map keys (it prints unstructured objects) and drops nothing but absent fields. */
const clean = (o) => JSON.parse(JSON.stringify(o));
const yamlDoc = (o) => stringify(clean(o), yamlOpts);
const multiDoc = (objects) => objects.map(yamlDoc).join('---\n');
const kindList = (objects) => ({ apiVersion: 'v1', items: objects, kind: 'List', metadata: { resourceVersion: '' } });
/** `-o json` prints sorted keys with 4-space indentation. */
const sortKeys = (v) =>
  Array.isArray(v) ? v.map(sortKeys) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k])])) : v;

/** Objects of several namespaces, kind by kind, as one `kubectl get KINDS -A` lists them. */
function acrossNamespaces(namespaces) {
  const all = namespaces.map((n) => n.objects());
  const kinds = ['Ingress', 'Service', 'EndpointSlice', 'Pod', 'Event', 'Certificate', 'Secret'];
  return kinds.flatMap((k) => all.flatMap((objs) => objs.filter((o) => o.kind === k)));
}

mkdirSync(out, { recursive: true });
const write = (name, text) => writeFileSync(join(out, name), text);

write(
  '00-cluster.yaml',
  `# kubectl get namespaces,ingressclasses -o yaml, one document per object\n` +
    multiDoc([...[...SYSTEM, ...CLIENTS].map((n) => n.object), ingressClass('traefik-external', 'traefik.io/ingress-controller', 400 * DAY)]),
);
write(
  '10-all-namespaces.yaml',
  stringify(clean(kindList(acrossNamespaces([defaultNs, acme, myClient, kubeSystem, traefikNs]))), yamlOpts),
);
write('20-hst-bakery-bros.yaml', multiDoc(bakery.objects()));
write('20-hst-northwind.yaml', multiDoc(northwind.objects()));
write('20-hst-globex.yaml', multiDoc(globex.objects()));
write('20-hst-initech.json', JSON.stringify(sortKeys(clean(kindList(initech.objects()))), null, 4) + '\n');
write('20-hst-umbrella.yaml', multiDoc(umbrella.objects()));

// ---------------------------------------------------------------------------------------------- README

const row = (e) => `| \`${e.host}\` | ${e.ns} | ${e.health} | ${e.codes.map((c) => `\`${c}\``).join(', ') || '-'} | ${e.story} |`;
const counts = expectations.reduce((m, e) => ((m[e.health] = (m[e.health] ?? 0) + 1), m), {});
write(
  'README.md',
  `# The sample cluster

A dump of a small Traefik cluster with ${CLIENTS.length} client environments (\`hst-*\` namespaces) and
${expectations.length} domains, written the way \`kubectl get ... -o yaml\` writes it. The seed example
(\`app.my-client.junovy.com\`) is among them. \`chainboard check\`, the demo API server and the tests all
read it.

\`\`\`
npx chainboard check --from samples/cluster --now ${REFERENCE_TIME}
npx chainboard check --from samples/cluster --now ${REFERENCE_TIME} checkout.acme.junovy.com
\`\`\`

**Reference time: \`${REFERENCE_TIME}\`.** The dump was taken then. A few findings depend on the clock (a
restart "in the last hour", a pod terminating "past its grace period", certificate expiry), so the table
below holds when the dump is analysed with \`now = ${REFERENCE_TIME}\` (\`--now\`). Analysed later, the
restarts of \`cms.bakery-bros\` and \`tickets.initech\` have aged out, and the rollout of \`www.initech\`
looks stuck.

## Files

| file | shape |
|---|---|
| \`00-cluster.yaml\` | multi-document YAML: every Namespace and the IngressClass \`traefik-external\` |
| \`10-all-namespaces.yaml\` | one \`kind: List\`, as \`kubectl get ingress,svc,endpointslices,pods,events -A -o yaml\` writes it, for \`default\`, \`hst-my-client\`, \`hst-acme\`, \`kube-system\` and \`traefik\` |
| \`20-hst-bakery-bros.yaml\`, \`20-hst-northwind.yaml\`, \`20-hst-globex.yaml\` | multi-document YAML, one object per document |
| \`20-hst-initech.json\` | one \`kind: List\` as \`kubectl get ... -n hst-initech -o json\` writes it |
| \`20-hst-umbrella.yaml\` | multi-document YAML including cert-manager Certificates and \`kubernetes.io/tls\` Secrets |

The cluster: IngressClass \`traefik-external\` (controller \`traefik.io/ingress-controller\`, not the
default class); Traefik publishes \`127.0.0.1\` as every Ingress address (loopback, so probes never leave
the machine); nodes \`worker-1\`..\`worker-3\` and \`worker-4\`, which was lost at 06:20. Pods are in
10.42.0.0/16, Services in 10.43.0.0/16. EndpointSlices are what the endpointslice controller writes for
those Pods (ready = Pod Ready and not deleting; a named targetPort no container declares is left out of
the slice's ports; a placeholder slice with no endpoints when nothing matches). The TLS Secrets hold
throwaway sample certificates and keys made for this dump (\`samples/generator/pki.json\`).

The system namespaces (\`default\`, \`kube-system\`, \`traefik\`, ...) hold objects that would be
findings in a client namespace (a Service without selector, an Ingress to a missing Service, a restarting
pod): with the default prefix \`hst-\` none of them may appear.

## Domains (the ground truth)

\`Codes\` lists every finding code of the domain's chain, info ones included (\`tls.managed-by-resolver\` is the
info of every certificate a Traefik resolver or cert-manager manages); each broken domain is broken in
exactly one way. ${Object.entries(counts).map(([h, n]) => `${n} ${h}`).join(', ')}.
\`lib/cli/sample-cluster.test.ts\` checks this table against \`analyze()\`.

| Host | Namespace | Health | Codes | What is wrong |
|---|---|---|---|---|
${expectations.map(row).join('\n')}

## Findings outside any domain

| Namespace | Codes | What is wrong |
|---|---|---|
${nsExpectations.map((e) => `| ${e.ns} | ${e.codes.map((c) => `\`${c}\``).join(', ')} | ${e.story} |`).join('\n')}

## Regenerating

The files are written by \`node samples/generator/generate.mjs\` from the scenarios in that script; edit
the scenario there (story and expectation side by side), regenerate, and run
\`node --conditions=react-server --import tsx --test lib/cli/*.test.ts\`.
`,
);

// ------------------------------------------------------------------------------------ samples/broken-dump

// One healthy client environment with a hand-edited, mis-indented Service between its good documents:
// the loader must name that document and still analyse the others.
{
  const tidy = new Namespace('hst-tidy', { created: 30 * DAY, labels: clientLabels('tidy') });
  webApp(tidy, { app: 'web', host: 'www.tidy.junovy.com', image: 'registry.junovy.com/tidy/web:1.2.0', created: 10 * DAY, pods: ready(2) });
  const malformed = `apiVersion: v1
kind: Service
metadata:
  name: web-internal
  namespace: hst-tidy
spec:
  ports:
  - name: http
    port: 80
     targetPort: http
  selector:
    app: web
`;
  const docs = [tidy.object, ingressClass('traefik-external', 'traefik.io/ingress-controller', 400 * DAY), ...tidy.objects()].map(yamlDoc);
  // Document 5: after the Namespace, the IngressClass, the Ingress and the Service.
  docs.splice(4, 0, malformed);
  const broken = join(here, '..', 'broken-dump');
  mkdirSync(broken, { recursive: true });
  writeFileSync(join(broken, 'hst-tidy.yaml'), docs.join('---\n'));
  writeFileSync(
    join(broken, 'README.md'),
    `# A dump with one malformed document

\`hst-tidy.yaml\` holds ${docs.length} documents of one healthy client environment (\`www.tidy.junovy.com\`).
Document 5 is a Service whose \`targetPort\` line was mis-indented by a hand edit: it is not valid YAML.
Loading the dump must report \`hst-tidy.yaml\` document 5 and still analyse every other document, so
\`www.tidy.junovy.com\` comes out healthy. Written by \`samples/generator/generate.mjs\`.
`,
  );
}

console.log(`wrote ${out}: ${expectations.length} domains in ${CLIENTS.length} client namespaces`);
