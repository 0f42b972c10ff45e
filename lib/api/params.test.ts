import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHost, parseIntParam, parseNamespace } from './params';

test('a plain host is accepted and lower-cased', () => {
  assert.deepEqual(parseHost('App.My-Client.Junovy.com'), { ok: true, value: 'app.my-client.junovy.com' });
});

test('a percent-encoded wildcard host and the catch-all host are accepted', () => {
  assert.deepEqual(parseHost('%2A.shop.example.com'), { ok: true, value: '*.shop.example.com' });
  assert.deepEqual(parseHost('*'), { ok: true, value: '*' });
});

test('a trailing dot is dropped', () => {
  assert.deepEqual(parseHost('a.example.com.'), { ok: true, value: 'a.example.com' });
});

test('hosts with a path, a port, an inner wildcard or an empty label are rejected with a message', () => {
  for (const bad of ['a.com/x', 'a.com:443', 'a.*.com', 'a..com', '-a.com', 'http://a.com', '']) {
    const r = parseHost(bad);
    assert.equal(r.ok, false, bad);
  }
  assert.deepEqual(parseHost('a.com:443'), { ok: false, error: '"a.com:443" is not a valid host name (RFC 1123, optionally "*." in front)' });
});

test('a host longer than 253 characters is rejected', () => {
  const long = `${'a'.repeat(60)}.`.repeat(5) + 'com';
  assert.deepEqual(parseHost(long), { ok: false, error: 'host is longer than 253 characters' });
});

test('broken percent-encoding is a clear error, not an exception', () => {
  assert.deepEqual(parseHost('%E0%A4%A'), { ok: false, error: 'host is not valid percent-encoding' });
});

test('namespaces must be RFC 1123 labels', () => {
  assert.deepEqual(parseNamespace('hst-my-client'), { ok: true, value: 'hst-my-client' });
  assert.equal(parseNamespace('Hst_x').ok, false);
  assert.equal(parseNamespace('a'.repeat(64)).ok, false);
  assert.deepEqual(parseNamespace(undefined), { ok: false, error: 'namespace is required' });
});

test('integer query parameters take defaults, bounds and reject junk', () => {
  assert.deepEqual(parseIntParam(null, 'limit', 50, 500), { ok: true, value: 50 });
  assert.deepEqual(parseIntParam('20', 'limit', 50, 500), { ok: true, value: 20 });
  assert.deepEqual(parseIntParam('-1', 'limit', 50, 500), { ok: false, error: 'limit must be a non-negative integer' });
  assert.deepEqual(parseIntParam('501', 'limit', 50, 500), { ok: false, error: 'limit must be at most 500' });
});
