import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hrefs } from '../data/keys';
import type { DomainListRow, OverviewRow } from '../../lib/api/types';
import { isSearchShortcut, isTypingTarget, overviewQueryFrom, overviewQueryFromSearch, singleMatchHref } from './url-state';

test('the URL state keeps what is valid and drops the rest', () => {
  assert.deepEqual(overviewQueryFrom({ view: 'domains', q: ' www.acme.junovy.com ', health: 'degraded', sort: 'environment', offset: '100' }), {
    view: 'domains',
    q: 'www.acme.junovy.com',
    health: 'degraded',
    sort: 'environment',
    offset: 100,
  });
  assert.deepEqual(overviewQueryFrom({ view: 'tables', q: '  ', health: 'sick', sort: 'since', offset: '-3' }), {});
  assert.deepEqual(overviewQueryFrom({ sort: 'name' }), {}, 'environments have one order');
  assert.deepEqual(overviewQueryFrom({ view: 'domains', sort: 'health' }), { view: 'domains' }, 'the default order is left out');
  assert.deepEqual(overviewQueryFrom({ q: ['a', 'b'], offset: '1.5' }), { q: 'a' });
});

test('a view written to the URL reads back as the same view', () => {
  for (const query of [
    {},
    { q: 'acme' },
    { view: 'domains' as const, q: 'a b&c', health: 'down' as const, sort: 'name' as const, offset: 200 },
    { view: 'domains' as const, sort: 'environment' as const },
  ]) {
    const href = hrefs.overview(query);
    assert.deepEqual(overviewQueryFromSearch(href.slice(1)), query, href);
  }
});

const domain = (host: string): DomainListRow => ({ cluster: 'default', host, health: 'degraded', routeCount: 1, findingCount: 1, namespace: 'hst-acme', namespaces: ['hst-acme'] });
const env = (name: string, matching?: string[]): OverviewRow => ({
  cluster: 'default',
  name,
  health: 'degraded',
  domainCount: 3,
  counts: { healthy: 2, degraded: 1, down: 0, unknown: 0 },
  worstFindings: [],
  worstDomains: [],
  forbidden: false,
  ...(matching ? { matchingDomains: { domains: matching.map(domain), count: matching.length } } : {}),
});

test('Enter opens the one domain or environment the filter leaves, and nothing when several match', () => {
  assert.equal(singleMatchHref({ view: 'domains', data: { matched: 1, domains: [domain('www.acme.junovy.com')] } }), '/c/default/d/www.acme.junovy.com');
  assert.equal(singleMatchHref({ view: 'domains', data: { matched: 2, domains: [domain('a.acme.com'), domain('b.acme.com')] } }), undefined);
  assert.equal(singleMatchHref({ view: 'domains', data: { matched: 0, domains: [] } }), undefined);
  assert.equal(
    singleMatchHref({ view: 'environments', data: { matched: 1, namespaces: [env('hst-acme', ['www.acme.junovy.com'])] } }),
    '/c/default/d/www.acme.junovy.com',
    'a host found in one environment opens the domain',
  );
  assert.equal(singleMatchHref({ view: 'environments', data: { matched: 1, namespaces: [env('hst-acme', ['a.acme.com', 'b.acme.com'])] } }), '/c/default/ns/hst-acme');
  assert.equal(singleMatchHref({ view: 'environments', data: { matched: 1, namespaces: [env('hst-acme')] } }), '/c/default/ns/hst-acme');
  assert.equal(singleMatchHref({ view: 'environments', data: { matched: 2, namespaces: [env('hst-a'), env('hst-b')] } }), undefined);
});

test('`/` goes to the search field, except while typing', () => {
  const key = (target: unknown, extra: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean; key: string }> = {}) =>
    isSearchShortcut({ key: '/', ctrlKey: false, metaKey: false, altKey: false, target, ...extra });
  assert.equal(key({ tagName: 'BODY' }), true);
  assert.equal(key({ tagName: 'A' }), true);
  assert.equal(key({ tagName: 'INPUT', type: 'checkbox' }), true);
  assert.equal(key(null), true);
  assert.equal(key({ tagName: 'INPUT', type: 'search' }), false);
  assert.equal(key({ tagName: 'input' }), false);
  assert.equal(key({ tagName: 'TEXTAREA' }), false);
  assert.equal(key({ tagName: 'SELECT' }), false);
  assert.equal(key({ tagName: 'DIV', isContentEditable: true }), false);
  assert.equal(key({ tagName: 'BODY' }, { ctrlKey: true }), false);
  assert.equal(key({ tagName: 'BODY' }, { key: '?' }), false);
  assert.equal(isTypingTarget(undefined), false);
});
