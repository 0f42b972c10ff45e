// The history endpoints called as Next calls them (the route modules, through apiRoute), over the sample
// cluster dump, with a HistoryService double that answers fixed data: the store is tested on its own
// against real databases, so here only the parameter validation, the status codes and what is passed
// through matter.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { offHistory } from '../history/off';
import type { HistoryService } from '../history/types';
import type { App } from '../server/app';
import { setApp } from '../server/current';
import { sampleApp, withApp } from '../server/testing';
import { historyDouble, type HistoryDouble } from './history-double';
import { FIXTURE_HOST, FIXTURE_NOW, FIXTURE_NS, fixtureHistory } from './history-fixture';
import { twoClusterApp } from '../share/two-clusters.testing';

type DomainRoute = typeof import('../../app/api/v1/domains/[host]/history/route');
type NamespaceRoute = typeof import('../../app/api/v1/namespaces/[namespace]/history/route');
let domainRoute: DomainRoute;
let namespaceRoute: NamespaceRoute;

before(async () => {
  [domainRoute, namespaceRoute] = await Promise.all([import('../../app/api/v1/domains/[host]/history/route'), import('../../app/api/v1/namespaces/[namespace]/history/route')]);
});
after(() => setApp(undefined)?.stop());

const TOKEN = 'history-route-test-token-0123456789';
const NOW = FIXTURE_NOW;

/** The sample app on the fixture's clock, its history replaced. */
function appWith(history: HistoryService, env: Record<string, string> = {}): App {
  return { ...sampleApp(env, () => NOW), history };
}

const params = <T>(p: T) => ({ params: Promise.resolve(p) });

async function getDomain(app: App, host: string, query = '', headers: Record<string, string> = {}) {
  return withApp(app, async () => {
    const res = await domainRoute.GET(new Request(`http://127.0.0.1:3000/api/v1/domains/${encodeURIComponent(host)}/history${query}`, { headers }), params({ host }));
    return { res, body: res.status === 304 ? undefined : await res.json() };
  });
}

async function getNamespace(app: App, namespace: string, query = '') {
  return withApp(app, async () => {
    const res = await namespaceRoute.GET(new Request(`http://127.0.0.1:3000/api/v1/namespaces/${namespace}/history${query}`), params({ namespace }));
    return { res, body: await res.json() };
  });
}

describe('GET /api/v1/domains/{host}/history', () => {
  test('200: the store\'s answer as JSON, of the cluster serving the host, for the last 24 h and 200 items by default, with the read API\'s headers', async () => {
    const double = historyDouble({ domains: { [FIXTURE_HOST]: fixtureHistory() } });
    const { res, body } = await getDomain(appWith(double), FIXTURE_HOST.toUpperCase());
    assert.equal(res.status, 200);
    assert.deepEqual(body, fixtureHistory());
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.equal(res.headers.get('content-security-policy'), "default-src 'none'; frame-ancestors 'none'");
    assert.equal(double.calls.length, 1);
    const { name, query } = double.calls[0]!;
    assert.equal(name, FIXTURE_HOST, 'the host is normalised as the live endpoint does');
    assert.deepEqual(query, { cluster: 'default', since: new Date(NOW.getTime() - 86_400_000), until: NOW, limit: 200 });
  });

  test('since as a window or an instant, until, limit and cursor reach the store', async () => {
    const double = historyDouble();
    const a = await getDomain(appWith(double), FIXTURE_HOST, '?since=7d&limit=50&cursor=eyJpZCI6IjEyIn0');
    assert.equal(a.res.status, 200);
    assert.deepEqual(double.calls[0]!.query, { cluster: 'default', since: new Date(NOW.getTime() - 7 * 86_400_000), until: NOW, limit: 50, cursor: 'eyJpZCI6IjEyIn0' });
    const b = await getDomain(appWith(double), FIXTURE_HOST, '?since=2026-05-01T05:00:00%2B02:00&until=2026-05-02T00:00:00Z');
    assert.equal(b.res.status, 200);
    assert.deepEqual([double.calls[1]!.query.since.toISOString(), double.calls[1]!.query.until.toISOString()], ['2026-05-01T03:00:00.000Z', '2026-05-02T00:00:00.000Z']);
  });

  test('400 with the usual error body for every malformed parameter, before the store is asked', async () => {
    const double = historyDouble({ status: { retentionDays: 30 } });
    const cases: [string, RegExp][] = [
      ['?since=yesterday', /since must be an ISO 8601 instant/],
      ['?since=2026-05-01', /since must be an ISO 8601 instant/],
      ['?until=2026-13-45T00:00:00Z', /until must be an ISO 8601 instant/],
      ['?since=0h', /longer than 0/],
      ['?since=2026-05-02T12:00:00Z&until=2026-05-02T11:00:00Z', /since must be before until/],
      ['?since=2026-05-02T10:00:00Z&until=2026-05-02T10:00:00Z', /since must be before until/],
      ['?until=2026-05-03T00:00:00Z', /until lies in the future/],
      ['?since=90d', /beyond the retention: history keeps 30 days/],
      ['?limit=0', /limit must be at least 1/],
      ['?limit=1001', /limit must be at most 1000/],
      ['?limit=ten', /limit must be a non-negative integer/],
      ['?cursor=%3Cscript%3E', /cursor is not one this API gave out/],
    ];
    for (const [query, message] of cases) {
      const { res, body } = await getDomain(appWith(double), FIXTURE_HOST, query);
      assert.equal(res.status, 400, query);
      assert.equal(body.error.status, 400);
      assert.equal(body.error.reason, 'BadRequest');
      assert.match(body.error.message, message, query);
    }
    assert.equal(double.calls.length, 0);
    const bad = await getDomain(appWith(double), 'a.com:443');
    assert.equal(bad.res.status, 400);
    assert.match(bad.body.error.message, /not a valid host name/);
  });

  test('404 for a host neither the live view nor history knows, exactly as GET /api/v1/domains/{host}', async () => {
    const { res, body } = await getDomain(appWith(historyDouble()), 'nope.example.com');
    assert.equal(res.status, 404);
    assert.deepEqual(body, { error: { status: 404, reason: 'NotFound', message: 'no route in a client environment serves nope.example.com' } });
    const off = await getDomain(appWith(offHistory('history is not configured')), 'nope.example.com');
    assert.equal(off.res.status, 404, 'without history only the live view decides, and it does not know the host');
  });

  test('a host no longer served still answers the history it left', async () => {
    const gone = { ...fixtureHistory(), host: 'gone.example.com' };
    const { res, body } = await getDomain(appWith(historyDouble({ domains: { 'gone.example.com': gone } })), 'gone.example.com');
    assert.equal(res.status, 200);
    assert.equal(body.host, 'gone.example.com');
  });

  test('503 with the reason when history is off (no retry) or failing (retry later)', async () => {
    const off = await getDomain(appWith(offHistory('history is not configured')), FIXTURE_HOST);
    assert.equal(off.res.status, 503);
    assert.deepEqual(off.body, { error: { status: 503, reason: 'NotReady', message: 'History is unavailable: history is not configured' }, reason: 'history is not configured', engine: 'off' });
    assert.equal(off.res.headers.get('retry-after'), null);
    const down = historyDouble({ status: { available: false, reason: 'database unreachable: ECONNREFUSED 127.0.0.1:5432', engine: 'postgres' } });
    const failing = await getDomain(appWith(down), FIXTURE_HOST);
    assert.equal(failing.res.status, 503);
    assert.equal(failing.body.reason, 'database unreachable: ECONNREFUSED 127.0.0.1:5432');
    assert.equal(failing.res.headers.get('retry-after'), '30');
    const midway = await getDomain(appWith(historyDouble({ failReads: true })), FIXTURE_HOST);
    assert.equal(midway.res.status, 503, 'a read that fails after the status said available');
  });

  test('the dashboard auth guards it like the rest of the read API', async () => {
    const app = () => appWith(historyDouble(), { CHAINBOARD_AUTH_TOKEN: TOKEN });
    const refused = await getDomain(app(), FIXTURE_HOST);
    assert.equal(refused.res.status, 401);
    const allowed = await getDomain(app(), FIXTURE_HOST, '', { authorization: `Bearer ${TOKEN}` });
    assert.equal(allowed.res.status, 200);
  });
});

describe('GET /api/v1/namespaces/{namespace}/history', () => {
  test('200 with the store\'s answer; the query as for a domain', async () => {
    const double: HistoryDouble = historyDouble();
    const { res, body } = await getNamespace(appWith(double), FIXTURE_NS, '?since=30d&limit=1000');
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(body).sort(), ['changes', 'cluster', 'hosts', 'incidents', 'namespace', 'noData', 'since', 'transitions', 'until']);
    assert.equal(body.cluster, 'default');
    assert.equal(body.namespace, FIXTURE_NS);
    assert.deepEqual(double.calls[0], { kind: 'namespace', name: FIXTURE_NS, query: { cluster: 'default', since: new Date(NOW.getTime() - 30 * 86_400_000), until: NOW, limit: 1000 } });
  });

  test('400 for a malformed name or range, 404 as the live endpoint for a namespace nobody knows, 503 when off', async () => {
    assert.equal((await getNamespace(appWith(historyDouble()), 'Bad_NS')).res.status, 400);
    assert.equal((await getNamespace(appWith(historyDouble()), FIXTURE_NS, '?since=soon')).res.status, 400);
    const other = await getNamespace(appWith(historyDouble()), 'kube-system');
    assert.equal(other.res.status, 404);
    assert.equal(other.body.error.message, 'namespace kube-system is not a client environment (names start with "hst-")');
    const off = await getNamespace(appWith(offHistory('history is off (CHAINBOARD_HISTORY=off)')), FIXTURE_NS);
    assert.equal(off.res.status, 503);
    assert.equal(off.body.reason, 'history is off (CHAINBOARD_HISTORY=off)');
  });
});

describe('history of several clusters: ?cluster=', () => {
  const two = (double: HistoryService) => twoClusterApp(double, {}, () => NOW);

  test('a host two clusters serve needs ?cluster= (400 naming both); with it, that cluster\'s history, named in the answer', async () => {
    const double = historyDouble({ domains: { [`us/${FIXTURE_HOST}`]: fixtureHistory() } });
    const ambiguous = await getDomain(two(double), FIXTURE_HOST);
    assert.equal(ambiguous.res.status, 400);
    assert.match(ambiguous.body.error.message, /served by several clusters \(eu, us\).*cluster=/);
    assert.equal(double.calls.length, 0, 'the store is not asked for a guess');

    const us = await getDomain(two(double), FIXTURE_HOST, '?cluster=us');
    assert.equal(us.res.status, 200);
    assert.equal(us.body.cluster, 'us');
    assert.equal(us.body.transitions.length, 2);
    assert.equal(double.calls.at(-1)!.query.cluster, 'us');
    const eu = await getDomain(two(double), FIXTURE_HOST, '?cluster=eu');
    assert.equal(eu.res.status, 200);
    assert.equal(eu.body.cluster, 'eu');
    assert.deepEqual(eu.body.transitions, [], "us's past is not eu's");
  });

  test('an unknown cluster is a 404 that lists the clusters, before the store is asked', async () => {
    const double = historyDouble();
    const { res, body } = await getDomain(two(double), FIXTURE_HOST, '?cluster=mars');
    assert.equal(res.status, 404);
    assert.match(body.error.message, /no cluster is named "mars" \(clusters: eu, us/);
    assert.equal((await getNamespace(two(double), FIXTURE_NS, '?cluster=mars')).res.status, 404);
    assert.equal(double.calls.length, 0);
  });

  test('a cluster no longer watched still answers the past history keeps of it', async () => {
    const double = historyDouble({ clusters: ['old'], domains: { [`old/${FIXTURE_HOST}`]: fixtureHistory() } });
    const { res, body } = await getDomain(two(double), FIXTURE_HOST, '?cluster=old');
    assert.equal(res.status, 200);
    assert.equal(body.cluster, 'old');
    assert.equal(body.transitions.length, 2);
  });

  test('a host no cluster serves now reads the one cluster whose history knows it', async () => {
    const gone = 'gone.acme.junovy.com';
    const summary = { host: gone, namespace: FIXTURE_NS, uptime: [] };
    const double = historyDouble({ clusterSummaries: { us: [summary] }, domains: { [`us/${gone}`]: { ...fixtureHistory(), host: gone } } });
    const { res, body } = await getDomain(two(double), gone);
    assert.equal(res.status, 200);
    assert.equal(body.cluster, 'us');
    // Known in both: the caller says which.
    const both = historyDouble({ clusterSummaries: { eu: [summary], us: [summary] } });
    assert.equal((await getDomain(two(both), gone)).res.status, 400);
  });

  test('an environment two clusters have needs ?cluster= as well; one cluster alone answers without it', async () => {
    const double = historyDouble();
    const ambiguous = await getNamespace(two(double), FIXTURE_NS);
    assert.equal(ambiguous.res.status, 400);
    assert.match(ambiguous.body.error.message, /several clusters \(eu, us\)/);
    const eu = await getNamespace(two(double), FIXTURE_NS, '?cluster=eu');
    assert.equal(eu.res.status, 200);
    assert.equal(eu.body.cluster, 'eu');
    assert.equal(double.calls.at(-1)!.query.cluster, 'eu');
    const one = await getNamespace(appWith(historyDouble()), FIXTURE_NS);
    assert.equal(one.body.cluster, 'default');
  });
});
