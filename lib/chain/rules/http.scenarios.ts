/**
 * The scenarios of the http rules (what a request to the domain gets) (test code only): for each code the
 * seed chain with an HTTP check result that triggers it, with the whole expected outcome, and a healthy
 * near-miss. http.test.ts runs the scenarios; the catalogue tests check every code has both.
 */
import assert from 'node:assert/strict';
import type { HttpProbeResult } from '../../model/probe';
import { f, HOST, node, NOW, NS, resolverInfo } from '../__fixtures__/load';
import { ing, one, probes, svcNode, type Scenario } from '../__fixtures__/scenario';

const routeNode = node('Route/my-app/0/0');
const domainNode = node(`Domain/${HOST}`);
const base = { host: HOST, path: '/', route: { namespace: NS, ingress: 'my-app', path: '/' }, target: '127.0.0.1:8443', checkedAt: NOW.toISOString() };

/** An answered check of the seed route. */
export const answered = (o: Partial<Extract<HttpProbeResult, { status: 'ok' }>> = {}): HttpProbeResult => ({
  ...base,
  status: 'ok',
  latencyMs: 12,
  statusCode: 200,
  from: 'backend',
  redirects: [],
  ...o,
});
const failed = (errorKind: 'unreachable' | 'reset' | 'timeout', error: string): HttpProbeResult => ({ ...base, status: 'error', latencyMs: 5, errorKind, error, redirects: [] });
const withHttp = (...http: HttpProbeResult[]) => probes({ http });
const message = (code: string) => (r: import('../../model/chain').AnalysisResult) => r.domains[0]!.findings.find((x) => x.code === code)!.message;
const hint = (code: string) => (r: import('../../model/chain').AnalysisResult) => r.domains[0]!.findings.find((x) => x.code === code)!.hint;
const CURL = `curl -sv --resolve ${HOST}:8443:127.0.0.1 https://${HOST}:8443/`;

export const HTTP_SCENARIOS: Scenario[] = [
  {
    title: 'a 200 from the backend is healthy, and the HTTP link is checked',
    fixture: 'seed',
    edit: withHttp(answered()),
    domains: one('healthy', resolverInfo()),
    check: (r) => assert.deepStrictEqual([r.domains[0]!.http?.check, r.domains[0]!.http?.health], [{ state: 'checked', by: 'probe' }, 'healthy']),
  },
  {
    title: 'without probes the HTTP link is not checked, never healthy',
    fixture: 'seed',
    domains: one('healthy', resolverInfo()),
    check: (r) => assert.deepStrictEqual([r.domains[0]!.http?.check, r.domains[0]!.http?.health], [{ state: 'not-checked', reasons: ['probes-off'] }, 'not-checked']),
  },
  {
    title: "the controller's own 404 is down with http.not-routed on the route",
    fixture: 'seed',
    edit: withHttp(answered({ statusCode: 404, from: 'controller', controller: 'not-found', bodySnippet: '404 page not found' })),
    domains: one('down', f('http.not-routed', 'critical', ing, routeNode), resolverInfo()),
    check: (r) => {
      assert.equal(
        message('http.not-routed')(r),
        `https://${HOST}:8443/ answered 404 from the ingress controller itself (12 ms via 127.0.0.1:8443: "404 page not found"): no router for this host and path (Ingress my-app, path /)`,
      );
      assert.equal(hint('http.not-routed')(r), CURL);
      assert.equal(r.domains[0]!.routes[0]!.health, 'down');
      assert.equal(r.domains[0]!.http?.health, 'down');
    },
  },
  {
    title: "the controller's 502 is down with http.bad-gateway on the Service behind the route",
    fixture: 'seed',
    edit: withHttp(answered({ statusCode: 502, from: 'controller', controller: 'bad-gateway', bodySnippet: 'Bad Gateway' })),
    domains: one('down', f('http.bad-gateway', 'critical', ing, svcNode), resolverInfo()),
  },
  {
    title: "the controller's 504 is down with http.bad-gateway too",
    fixture: 'seed',
    edit: withHttp(answered({ statusCode: 504, from: 'controller', controller: 'gateway-timeout' })),
    domains: one('down', f('http.bad-gateway', 'critical', ing, svcNode), resolverInfo()),
  },
  {
    title: "the controller's 503 is down with http.unavailable on the Service",
    fixture: 'seed',
    edit: withHttp(answered({ statusCode: 503, from: 'controller', controller: 'unavailable' })),
    domains: one('down', f('http.unavailable', 'critical', ing, svcNode), resolverInfo()),
    check: (r) => assert.match(message('http.unavailable')(r), /no servers behind Ingress my-app, path \//),
  },
  {
    title: "a backend's own 500 is degraded with http.server-error, quoting the body",
    fixture: 'seed',
    edit: withHttp(answered({ statusCode: 500, bodySnippet: 'database down' })),
    domains: one('degraded', f('http.server-error', 'warning', ing, svcNode), resolverInfo()),
    check: (r) => assert.equal(message('http.server-error')(r), `https://${HOST}:8443/ answered 500 from the backend (12 ms via 127.0.0.1:8443: "database down")`),
  },
  {
    title: "the controller's bare 500 (no application headers) is down with http.backend-unresolved on the route, with the route, Service and Traefik router to look at",
    fixture: 'seed',
    edit: withHttp(answered({ statusCode: 500, from: 'controller', controller: 'internal-error', bare: true, bodySnippet: 'Internal Server Error' })),
    domains: one('down', f('http.backend-unresolved', 'critical', ing, routeNode), resolverInfo()),
    check: (r) => {
      assert.equal(
        message('http.backend-unresolved')(r),
        `https://${HOST}:8443/ answered a bare 500 from the ingress controller (12 ms via 127.0.0.1:8443: "Internal Server Error", no application headers): it cannot resolve the service of Ingress my-app, path / (Service my-app)`,
      );
      assert.equal(
        hint('http.backend-unresolved')(r),
        `kubectl -n ${NS} get ingress my-app -o yaml; kubectl -n ${NS} get service my-app; curl -s "$CHAINBOARD_TRAEFIK_API/api/http/routers?search=${NS}"; ${CURL}`,
      );
      // The probe's evidence travels with the domain: the answer was bare.
      const p = r.domains[0]!.http!.probes[0]!;
      assert.equal(p.status === 'ok' && p.bare, true);
    },
  },
  {
    title: "an application's own 500 with the same words but headers of its own stays http.server-error, a warning",
    fixture: 'seed',
    edit: withHttp(answered({ statusCode: 500, bodySnippet: 'Internal Server Error' })),
    domains: one('degraded', f('http.server-error', 'warning', ing, svcNode), resolverInfo()),
  },
  {
    title: 'no connection is down with http.unreachable on the domain',
    fixture: 'seed',
    edit: withHttp(failed('unreachable', 'no connection: connect ECONNREFUSED 127.0.0.1:8443')),
    domains: one('down', f('http.unreachable', 'critical', ing, domainNode), resolverInfo()),
    check: (r) => assert.equal(hint('http.unreachable')(r), CURL),
  },
  {
    title: 'a connection closed without an answer is down with http.unreachable',
    fixture: 'seed',
    edit: withHttp(failed('reset', 'the connection was closed without an answer: socket hang up (ECONNRESET)')),
    domains: one('down', f('http.unreachable', 'critical', ing, domainNode), resolverInfo()),
  },
  {
    title: 'no answer in time is down with http.timeout',
    fixture: 'seed',
    edit: withHttp(failed('timeout', 'no answer within 3000 ms')),
    domains: one('down', f('http.timeout', 'critical', ing, routeNode), resolverInfo()),
  },
  {
    title: 'a redirect loop is degraded with http.redirect-loop, showing the chain',
    fixture: 'seed',
    edit: withHttp(answered({ statusCode: 302, redirects: [`https://${HOST}/login`], redirect: { location: `https://${HOST}/`, stop: 'loop' } })),
    domains: one('degraded', f('http.redirect-loop', 'warning', ing, routeNode), resolverInfo()),
    check: (r) => assert.equal(message('http.redirect-loop')(r), `The redirect chain of https://${HOST}:8443/ loops: https://${HOST}:8443/ -> https://${HOST}/login -> https://${HOST}/`),
  },
  {
    title: 'too many redirects is degraded with http.redirect-loop',
    fixture: 'seed',
    edit: withHttp(answered({ statusCode: 302, redirects: ['1', '2', '3', '4', '5'].map((n) => `https://${HOST}/${n}`), redirect: { location: `https://${HOST}/6`, stop: 'limit' } })),
    domains: one('degraded', f('http.redirect-loop', 'warning', ing, routeNode), resolverInfo()),
  },
  {
    title: 'a redirect to a host outside the cluster is degraded with http.redirect-offsite',
    fixture: 'seed',
    edit: withHttp(answered({ statusCode: 302, redirect: { location: 'https://accounts.example.com/login', stop: 'offsite' } })),
    domains: one('degraded', f('http.redirect-offsite', 'warning', ing, routeNode), resolverInfo()),
  },
  {
    title: 'an answer over the slow threshold is degraded with http.slow',
    fixture: 'seed',
    edit: withHttp(answered({ latencyMs: 2500 })),
    domains: one('degraded', f('http.slow', 'warning', ing, routeNode), resolverInfo()),
    check: (r) => assert.match(message('http.slow')(r), /took 2500 ms to answer 200 \(threshold 2000 ms/),
  },
  {
    title: 'the slow threshold is a setting',
    fixture: 'seed',
    edit: withHttp(answered({ latencyMs: 2500 })),
    opts: { http: { slowMs: 3000 } },
    domains: one('healthy', resolverInfo()),
  },
  {
    title: 'a backend 401 without expect-status is degraded with http.unexpected-status, suggesting the annotation',
    fixture: 'seed',
    edit: withHttp(answered({ statusCode: 401 })),
    domains: one('degraded', f('http.unexpected-status', 'warning', ing, routeNode), resolverInfo()),
    check: (r) => assert.equal(hint('http.unexpected-status')(r), `kubectl -n ${NS} annotate ingress my-app chainboard.io/expect-status=401`),
  },
  {
    title: "a backend 404 at the rule's path is degraded with http.unexpected-status, suggesting another probe path",
    fixture: 'seed',
    edit: withHttp(answered({ statusCode: 404, bodySnippet: 'Not Found' })),
    domains: one('degraded', f('http.unexpected-status', 'warning', ing, routeNode), resolverInfo()),
    check: (r) => assert.equal(hint('http.unexpected-status')(r), `kubectl -n ${NS} annotate ingress my-app chainboard.io/probe-path=/healthz`),
  },
  {
    title: 'a 401 listed in expect-status is healthy: a login wall is no alarm',
    fixture: 'seed',
    edit: withHttp(answered({ statusCode: 401, expectStatus: [401] })),
    domains: one('healthy', resolverInfo()),
  },
  {
    title: 'a 200 where expect-status asks for 401 is degraded with http.unexpected-status',
    fixture: 'seed',
    edit: withHttp(answered({ statusCode: 200, expectStatus: [401] })),
    domains: one('degraded', f('http.unexpected-status', 'warning', ing, routeNode), resolverInfo()),
    check: (r) => assert.match(message('http.unexpected-status')(r), /expected 401 \(chainboard.io\/expect-status\)$/),
  },
  {
    title: 'a check of another namespace\'s route is not judged here',
    fixture: 'seed',
    edit: withHttp({ ...answered({ statusCode: 502, from: 'controller', controller: 'bad-gateway' }), route: { namespace: 'hst-other', ingress: 'x', path: '/' } }),
    domains: one('healthy', resolverInfo()),
    check: (r) => assert.deepStrictEqual(r.domains[0]!.http?.check, { state: 'not-checked', reasons: ['not-probed'] }),
  },
];

export const HTTP_NEAR_MISSES: Record<string, string> = {
  'http.backend-unresolved': 'a 200 from the backend is healthy, and the HTTP link is checked',
  'http.not-routed': "a backend's own 404 page is no routing failure",
  'http.bad-gateway': 'a 200 from the backend is healthy, and the HTTP link is checked',
  'http.unavailable': 'a 200 from the backend is healthy, and the HTTP link is checked',
  'http.server-error': 'a 200 from the backend is healthy, and the HTTP link is checked',
  'http.unreachable': 'a 200 from the backend is healthy, and the HTTP link is checked',
  'http.timeout': 'a 200 from the backend is healthy, and the HTTP link is checked',
  'http.redirect-loop': 'a redirect followed to a healthy page is healthy',
  'http.redirect-offsite': 'a redirect followed to a healthy page is healthy',
  'http.slow': 'the slow threshold is a setting',
  'http.unexpected-status': 'a 401 listed in expect-status is healthy: a login wall is no alarm',
};

HTTP_SCENARIOS.push(
  {
    title: "a backend's own 404 page is no routing failure",
    fixture: 'seed',
    edit: withHttp(answered({ statusCode: 404, expectStatus: [404], bodySnippet: '<h1>No such page</h1>' })),
    domains: one('healthy', resolverInfo()),
  },
  {
    title: 'a redirect followed to a healthy page is healthy',
    fixture: 'seed',
    edit: withHttp(answered({ redirects: [`https://${HOST}/home`] })),
    domains: one('healthy', resolverInfo()),
  },
);
