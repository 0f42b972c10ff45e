import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HttpState } from './chain';
import { httpBadgeText, httpResultText } from './http-text';
import type { HttpProbeResult } from './probe';

const base = { host: 'a.test', path: '/', route: { namespace: 'n', ingress: 'i', path: '/' }, target: '127.0.0.1:443', checkedAt: '2026-01-01T00:00:00Z' };
const ok = (o: Partial<Extract<HttpProbeResult, { status: 'ok' }>>): HttpProbeResult => ({ ...base, status: 'ok', latencyMs: 12, statusCode: 200, from: 'backend', redirects: [], ...o });

test('a check reads as status, who answered, redirects and latency', () => {
  assert.equal(httpResultText(ok({})), '/ 200 from the backend · 12 ms');
  assert.equal(httpResultText(ok({ statusCode: 404, from: 'controller', controller: 'not-found', latencyMs: 3 })), '/ 404 from the controller (no router) · 3 ms');
  assert.equal(
    httpResultText(ok({ statusCode: 302, redirects: ['https://a.test/x'], redirect: { location: 'https://sso.example/', stop: 'offsite' }, latencyMs: 8 })),
    '/ 302 from the backend after 1 redirect → https://sso.example/ (off the cluster, not followed) · 8 ms',
  );
  assert.equal(httpResultText(ok({ statusCode: 401, expectStatus: [401] })), '/ 401 (expected) from the backend · 12 ms');
  assert.equal(httpResultText({ ...base, status: 'error', errorKind: 'timeout', error: 'no answer within 3000 ms', latencyMs: 3000, redirects: [] }), '/ no answer (timeout) · 3000 ms');
});

test('the domain badge shows the worst check, and "not checked" without one', () => {
  const state = (probes: HttpProbeResult[]): HttpState => ({ id: 'Domain/a.test', probes, check: { state: 'checked', by: 'probe' }, health: 'healthy' });
  assert.equal(httpBadgeText(undefined), 'HTTP not checked');
  assert.equal(httpBadgeText({ ...state([]), check: { state: 'not-checked', reasons: ['probes-off'] }, health: 'not-checked' }), 'HTTP not checked');
  assert.equal(httpBadgeText(state([ok({}), ok({ path: '/api', statusCode: 502, from: 'controller', controller: 'bad-gateway', latencyMs: 4 })])), 'HTTP 502 (controller) · 4 ms');
  assert.equal(httpBadgeText(state([ok({})])), 'HTTP 200 · 12 ms');
});
