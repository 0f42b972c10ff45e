import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseMatch, type MatchResult } from './traefik-match';

const routes = (rule: string) => {
  const r = parseMatch(rule);
  assert.ok(r.ok, `expected ${rule} to parse: ${r.ok ? '' : r.error}`);
  return r.routes.map((x) => `${x.host} ${x.pathType}:${x.path}`);
};
const error = (rule: string) => {
  const r: MatchResult = parseMatch(rule);
  assert.ok(!r.ok, `expected ${rule} not to parse`);
  return r.error;
};

test('a Host matcher serves the host at every path', () => {
  assert.deepStrictEqual(routes('Host(`shop.example.com`)'), ['shop.example.com Prefix:/']);
});

test('hosts are lower-cased and lose a trailing dot, like Ingress rule hosts', () => {
  assert.deepStrictEqual(routes('Host(`Shop.Example.COM.`)'), ['shop.example.com Prefix:/']);
});

test('Host with a PathPrefix or a Path serves that path with an Ingress-like pathType', () => {
  assert.deepStrictEqual(routes('Host(`a.example.com`) && PathPrefix(`/api`)'), ['a.example.com Prefix:/api']);
  assert.deepStrictEqual(routes('Host(`a.example.com`) && Path(`/health`)'), ['a.example.com Exact:/health']);
});

test('several hosts in one Host() (Traefik v2) each serve the path', () => {
  assert.deepStrictEqual(routes('Host(`a.example.com`, `b.example.com`) && PathPrefix(`/x`)'), ['a.example.com Prefix:/x', 'b.example.com Prefix:/x']);
});

test('|| across hosts (Traefik v3) serves each host, and && distributes over the parenthesised alternatives', () => {
  assert.deepStrictEqual(routes('(Host(`a.example.com`) || Host(`b.example.com`)) && PathPrefix(`/api`)'), [
    'a.example.com Prefix:/api',
    'b.example.com Prefix:/api',
  ]);
  assert.deepStrictEqual(routes('Host(`a.example.com`) || Host(`b.example.com`) && Path(`/b`)'), ['a.example.com Prefix:/', 'b.example.com Exact:/b']);
});

test('several paths of one host are each a route, in the order written, without repeats', () => {
  assert.deepStrictEqual(routes('Host(`a.example.com`) && (PathPrefix(`/one`) || PathPrefix(`/two`) || PathPrefix(`/one`))'), [
    'a.example.com Prefix:/one',
    'a.example.com Prefix:/two',
  ]);
});

test('a negated term contributes neither a host nor a path', () => {
  assert.deepStrictEqual(routes('Host(`a.example.com`) && !PathPrefix(`/admin`)'), ['a.example.com Prefix:/']);
  assert.deepStrictEqual(routes('Host(`a.example.com`) && !(Host(`b.example.com`) || Path(`/x`))'), ['a.example.com Prefix:/']);
  assert.deepStrictEqual(routes('!Host(`b.example.com`)'), ['* Prefix:/']);
});

test('matchers that do not route (Header, Method, Query, ClientIP) narrow a route without moving it', () => {
  assert.deepStrictEqual(
    routes("Host(`a.example.com`) && Header(`X-Env`, `canary`) && Method(`GET`) && Query(`q`, `1`) && ClientIP(`10.0.0.0/8`)"),
    ['a.example.com Prefix:/'],
  );
});

test('a rule without a host serves every host', () => {
  assert.deepStrictEqual(routes('PathPrefix(`/static`)'), ['* Prefix:/static']);
});

test('a HostRegexp is a pattern that serves no concrete domain, unless it spells one literal host', () => {
  const r = parseMatch('HostRegexp(`^.+\\.example\\.com$`) && PathPrefix(`/`)');
  assert.deepStrictEqual(r, { ok: true, routes: [], hostPatterns: ['^.+\\.example\\.com$'] });
  assert.deepStrictEqual(routes('HostRegexp(`^shop\\.example\\.com$`)'), ['shop.example.com Prefix:/']);
});

test('a host pattern and a literal host together serve the literal host', () => {
  const r = parseMatch('HostRegexp(`^.+\\.example\\.com$`) && Host(`a.example.com`)');
  assert.deepStrictEqual(r, { ok: true, routes: [{ host: 'a.example.com', path: '/', pathType: 'Prefix' }], hostPatterns: [] });
});

test('two different hosts joined by && serve nothing, nor do paths that exclude each other', () => {
  assert.deepStrictEqual(routes('Host(`a.example.com`) && Host(`b.example.com`)'), []);
  assert.deepStrictEqual(routes('Host(`a.example.com`) && Path(`/a`) && Path(`/b`)'), []);
});

test('of two compatible paths joined by &&, the narrower is served', () => {
  assert.deepStrictEqual(routes('Host(`a.example.com`) && PathPrefix(`/api`) && PathPrefix(`/api/v2`)'), ['a.example.com Prefix:/api/v2']);
  assert.deepStrictEqual(routes('Host(`a.example.com`) && PathPrefix(`/api`) && Path(`/api/health`)'), ['a.example.com Exact:/api/health']);
});

test('a PathRegexp is kept as a Regexp path', () => {
  assert.deepStrictEqual(routes('Host(`a.example.com`) && PathRegexp(`^/v[0-9]+/`)'), ['a.example.com Regexp:^/v[0-9]+/']);
});

test('double-quoted strings are read like backquoted ones', () => {
  assert.deepStrictEqual(routes('Host("a.example.com") && PathPrefix("/x")'), ['a.example.com Prefix:/x']);
});

test('whitespace and line breaks between terms are insignificant', () => {
  assert.deepStrictEqual(routes('  Host(`a.example.com`)\n  &&\tPathPrefix(`/x`)  '), ['a.example.com Prefix:/x']);
});

test('an unparseable rule is an error with its reason, never a throw', () => {
  assert.match(error(''), /empty/);
  assert.match(error('Host(`a.example.com`'), /expected '\)'/);
  assert.match(error('Host(`a.example.com`) && '), /at the end/);
  assert.match(error('Host(`a.example.com`) & Path(`/`)'), /is not '&&'/);
  assert.match(error('Host(a.example.com)'), /unexpected '\.'/);
  assert.match(error('Host(abc)'), /quoted argument/);
  assert.match(error('Host(`a.example.com)'), /unterminated/);
  assert.match(error('Hots(`a.example.com`)'), /unknown matcher Hots/);
  assert.match(error('Host()'), /no argument/);
  assert.match(error('Host(`a`) Path(`/`)'), /unexpected 'Path'/);
  assert.match(error('Host(`a`) && (Path(`/`)'), /expected '\)' at the end/);
  assert.match(error('Host(`a`) # comment'), /unexpected '#'/);
});
