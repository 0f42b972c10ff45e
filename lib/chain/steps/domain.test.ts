import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Snapshot } from '../../model/snapshot';
import { analyze } from '../index';
import { context, HOST, load, NOW } from '../__fixtures__/load';
import { analyzeDomain, type NamespaceSteps } from './domain';
import { ServiceChains } from './endpoints';
import { indexEvents } from './events';
import { ingressFindings } from './findings';
import { draftRoutes } from './routes';

/** One host of a fixture's namespace through the domain step alone, wired as analyzeNamespace wires it. */
function domainOf(fixture: string, host: string, edit?: (s: Snapshot) => void) {
  const ctx = context(fixture, edit);
  const routes = draftRoutes(ctx);
  const steps: NamespaceSteps = {
    ctx,
    ingressFindings: ingressFindings(ctx, routes.ingresses).byIngress,
    services: new ServiceChains(ctx),
    events: indexEvents(ctx.warningEvents),
  };
  return analyzeDomain(steps, host, routes.byHost.get(host)!);
}

test('the domain step gives the chain the whole analysis shows for a host of one namespace', () => {
  for (const fixture of ['seed', 'ingress-two-paths', 'ingress-route-conflict', 'service-no-ready-endpoints', 'tls-certificate-not-ready']) {
    assert.deepStrictEqual(domainOf(fixture, HOST), analyze(load(fixture), { now: NOW }).domains.find((d) => d.host === HOST), fixture);
  }
});

test("each route is judged by its Ingress, its backend and its Service port; the domain by all routes and the host's TLS and DNS", () => {
  const d = domainOf('ingress-backend-invalid', HOST);
  assert.deepStrictEqual(d.routes.map((r) => [r.id, r.health]), [
    ['Route/my-app/0/0', 'healthy'],
    ['Route/my-app/0/1', 'degraded'],
  ]);
  assert.equal(d.health, 'degraded');
  const conflict = domainOf('ingress-route-conflict', HOST);
  assert.deepStrictEqual(conflict.routes.map((r) => [r.ingress, r.health]), [
    ['my-app', 'degraded'],
    ['my-app-canary', 'degraded'],
  ]);
});

test("a domain's Warning events are its objects', newest first, as many as maxEvents", () => {
  const d = domainOf('service-no-ready-endpoints', HOST);
  assert.deepStrictEqual(d.events.map((e) => [e.object.kind, e.lastTimestamp]), [
    ['Pod', '2025-06-01T11:59:50Z'],
    ['Pod', '2025-06-01T11:59:40Z'],
  ]);
  const none = domainOf('service-no-ready-endpoints', HOST, (s) => {
    s.events = [];
  });
  assert.deepStrictEqual(none.events, []);
});
