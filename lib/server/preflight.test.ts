// The production server's preflight verdicts (lib/server/preflight.ts): pure, on the request line alone.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OVERVIEW_QUERY_MAX, preflight, wellFormedPath } from './preflight';
import { sampleApp } from './testing';

const TEN_KB = 'a'.repeat(10 * 1024);

describe('a malformed percent-escape', () => {
  for (const target of ['/api/v1/domains/%FF%FE.example', '/api/v1/namespaces/%FF', '/api/v1/domains/%E0%A4%A', '/api/v1/share/abc%ZZ/badge.svg']) {
    test(`in an API path is refused with 400: ${target}`, () => {
      assert.deepEqual(preflight('GET', target), { action: 'refuse', status: 400, message: 'the path is not valid percent-encoding' });
    });
  }

  test('in a page path goes to Next with each % of the segment escaped, and status 400', () => {
    assert.deepEqual(preflight('GET', '/d/%FF%FE.example'), { action: 'next', target: '/d/%25FF%25FE.example', status: 400 });
    assert.deepEqual(preflight('GET', '/ns/%FF?x=1'), { action: 'next', target: '/ns/%25FF?x=1', status: 400 });
    assert.deepEqual(preflight('HEAD', '/d/%FF/opengraph-image'), { action: 'next', target: '/d/%25FF/opengraph-image', status: 400 });
  });

  test('escaped, decodes back to exactly what the client sent, and only undecodable segments change', () => {
    const fixed = wellFormedPath('/d/a%2Fb/%E0%A4%A/%41');
    assert.equal(fixed, '/d/a%2Fb/%25E0%25A4%25A/%41');
    assert.deepEqual(fixed!.split('/').map(decodeURIComponent), ['', 'd', 'a/b', '%E0%A4%A', 'A']);
    assert.equal(wellFormedPath('/d/app.example.com'), undefined);
  });

  test('in the query is left to the page, which reads the query leniently', () => {
    assert.deepEqual(preflight('GET', '/?q=%FF'), { action: 'next' });
  });
});

describe('a page parameter the API would refuse gives the page status 400', () => {
  const refused = ['/d/..%2f..%2fetc%2fpasswd', `/d/${TEN_KB}`, '/ns/%3Cscript%3E', '/d/app%00.x', `/?q=${TEN_KB}`, '/ns/Hst-Acme', '/d/%2525FF', '/c/eu/d/app%00.x', '/c/default/ns/%3Cscript%3E'];
  for (const target of refused) {
    test(target.length > 60 ? `${target.slice(0, 40)}… (${target.length} characters)` : target, () => {
      assert.deepEqual(preflight('GET', target), { action: 'next', status: 400 });
    });
  }

  const fine = ['/d/app.my-client.junovy.com', '/d/nope.example.com', '/d/*.preview.example.com', '/d/APP.Example.com.', '/ns/hst-acme', '/ns/hst-nope', '/?q=acme&health=down', '/?health=bogus&offset=-3', `/?q=${'a'.repeat(OVERVIEW_QUERY_MAX)}`, '/login?next=/x', '/share/x.y.z', '/no/such/page', '/c/eu/d/app.my-client.junovy.com', '/c/nope/ns/hst-acme', '/c/eu/d/x.example.com/extra'];
  for (const target of fine) {
    test(`a valid one keeps the status the page chooses: ${target.length > 60 ? `${target.slice(0, 40)}…` : target}`, () => {
      assert.deepEqual(preflight('GET', target), { action: 'next' });
    });
  }
});

describe('pages answer GET and HEAD only', () => {
  for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
    test(`${method} on a page is refused with 405`, () => {
      assert.deepEqual(preflight(method, '/d/app.my-client.junovy.com'), { action: 'refuse', status: 405, message: 'pages answer GET, HEAD only' });
      assert.equal(preflight(method, '/').action, 'refuse');
      assert.equal(preflight(method, '/login').action, 'refuse');
    });
  }

  test('the API and Next build assets keep every method: their handlers decide', () => {
    assert.deepEqual(preflight('POST', '/api/login'), { action: 'next' });
    assert.deepEqual(preflight('DELETE', '/api/v1/overview'), { action: 'next' });
    assert.deepEqual(preflight('POST', '/_next/static/chunks/x.js'), { action: 'next' });
  });
});

test('an absolute-form or asterisk target is left to Next', () => {
  assert.deepEqual(preflight('GET', 'http://127.0.0.1/d/%FF'), { action: 'next' });
  assert.deepEqual(preflight('OPTIONS', '*'), { action: 'next' });
});

test('the longest overview search the preflight lets through is the longest the API accepts', async () => {
  const app = sampleApp();
  try {
    const longest = await app.api.getOverview({ q: 'a'.repeat(OVERVIEW_QUERY_MAX) });
    const tooLong = await app.api.getOverview({ q: 'a'.repeat(OVERVIEW_QUERY_MAX + 1) });
    assert.equal(longest.ok, true);
    assert.equal(tooLong.ok ? 200 : tooLong.status, 400);
  } finally {
    await app.stop();
  }
});
