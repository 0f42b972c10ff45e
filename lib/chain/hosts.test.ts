import assert from 'node:assert/strict';
import { test } from 'node:test';
import { certificateCovers, certificateNameMatches, hostPatternCovers, isConcreteHost, normalizeHost } from './hosts';

test('hosts are keyed lower-case without a trailing dot', () => {
  assert.equal(normalizeHost(' App.My-Client.Junovy.COM. '), 'app.my-client.junovy.com');
});

test('an Ingress host pattern covers the same host, and a wildcard covers exactly one more label', () => {
  const table: [string, string, boolean][] = [
    ['app.x.com', 'app.x.com', true],
    ['APP.x.com', 'app.X.com', true],
    ['*.x.com', 'app.x.com', true],
    ['*.x.com', '*.x.com', true],
    ['*.x.com', 'a.b.x.com', false],
    ['*.x.com', 'x.com', false],
    ['*.x.com', '*.a.x.com', false],
    ['app.x.com', '*.x.com', false],
  ];
  for (const [pattern, host, want] of table) assert.equal(hostPatternCovers(pattern, host), want, `${pattern} covers ${host}`);
});

test('certificate names match by RFC 6125: * only as the whole left-most label, exactly one label, not under a TLD', () => {
  const table: [string, string, boolean][] = [
    ['app.x.com', 'app.x.com', true],
    ['App.X.com', 'app.x.com', true],
    ['*.x.com', 'app.x.com', true],
    ['*.x.com', 'a.b.x.com', false],
    ['*.x.com', 'x.com', false],
    ['*.com', 'x.com', false],
    ['a*.x.com', 'ab.x.com', false],
    ['*a.x.com', 'ba.x.com', false],
    ['app.*.com', 'app.x.com', false],
    ['*.x.com', '*.x.com', true],
    ['app.x.com', '*.x.com', false],
  ];
  for (const [san, host, want] of table) assert.equal(certificateNameMatches(san, host), want, `${san} matches ${host}`);
  assert.equal(certificateCovers(['x.com', '*.x.com'], 'www.x.com'), true);
  assert.equal(certificateCovers([], 'www.x.com'), false);
});

test('only plain hosts are concrete: not * and not wildcards', () => {
  assert.deepEqual(['*', '*.x.com', 'app.x.com'].map(isConcreteHost), [false, false, true]);
});
