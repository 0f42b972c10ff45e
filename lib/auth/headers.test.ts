import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { API_CSP, createNonce, pageCsp, PERMISSIONS_POLICY, securityHeaders } from './headers';

const directives = (csp: string) => new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));

describe('security headers', () => {
  test('a page gets a nonce CSP without unsafe-inline scripts, and every other header', () => {
    const h = securityHeaders({ pathname: '/d/checkout.acme.junovy.com', nonce: 'bm9uY2U=' });
    assert.deepEqual(h, {
      'content-security-policy':
        "default-src 'self'; script-src 'self' 'nonce-bm9uY2U=' 'strict-dynamic'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
      'referrer-policy': 'strict-origin-when-cross-origin',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'permissions-policy': PERMISSIONS_POLICY,
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-origin',
    });
    const script = directives(h['content-security-policy']!).get('script-src')!;
    assert.ok(!script.includes("'unsafe-inline'") && !script.includes("'unsafe-eval'"));
  });

  test('share pages send no referrer and are not indexed', () => {
    const h = securityHeaders({ pathname: '/share/abc.1.def', nonce: 'n' });
    assert.equal(h['referrer-policy'], 'no-referrer');
    assert.equal(h['x-robots-tag'], 'noindex, nofollow');
    assert.equal(directives(h['content-security-policy']!).get('frame-ancestors')?.[0], "'none'");
  });

  test('API responses may run and load nothing, and cannot be framed', () => {
    for (const pathname of ['/api/v1/overview', '/api/metrics', '/api/healthz']) {
      const h = securityHeaders({ pathname });
      assert.equal(h['content-security-policy'], API_CSP);
      assert.equal(h['x-content-type-options'], 'nosniff');
      assert.equal(h['cross-origin-resource-policy'], 'same-origin');
    }
  });

  test('badges may be embedded cross-origin; the signed one leaks no referrer', () => {
    assert.equal(securityHeaders({ pathname: '/api/v1/domains/x.example.com/badge.svg' })['cross-origin-resource-policy'], 'cross-origin');
    const shared = securityHeaders({ pathname: '/api/v1/share/abc.1.def/badge.svg' });
    assert.equal(shared['cross-origin-resource-policy'], 'cross-origin');
    assert.equal(shared['referrer-policy'], 'no-referrer');
  });

  test('HTTPS adds HSTS and upgrade-insecure-requests; plain HTTP does not', () => {
    const tls = securityHeaders({ pathname: '/', nonce: 'n', https: true });
    assert.equal(tls['strict-transport-security'], 'max-age=31536000');
    assert.ok(tls['content-security-policy']!.endsWith('; upgrade-insecure-requests'));
    const plain = securityHeaders({ pathname: '/', nonce: 'n' });
    assert.equal(plain['strict-transport-security'], undefined);
    assert.ok(!plain['content-security-policy']!.includes('upgrade-insecure-requests'));
  });

  test('next dev adds unsafe-eval for React’s debugging, production never', () => {
    assert.ok(pageCsp('n', { dev: true }).includes("'unsafe-eval'"));
    assert.ok(!pageCsp('n').includes("'unsafe-eval'"));
  });

  test('nonces are fresh 128-bit base64 values', () => {
    const a = createNonce();
    const b = createNonce();
    assert.notEqual(a, b);
    assert.equal(Buffer.from(a, 'base64').length, 16);
    assert.match(a, /^[A-Za-z0-9+/]{22}==$/);
  });
});
