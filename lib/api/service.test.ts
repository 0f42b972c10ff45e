// The API service over a loaded dump (CHAINBOARD_DUMP: the same source the routes use, without a cluster).
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { sampleApp } from '../server/testing';

const app = sampleApp();
const { getDomain, getDomains, getNamespace, getOverview } = app.api;
after(() => app.stop());

test('the overview\'s cached serialisation is exactly its data, per query', async () => {
  const a = await getOverview({ limit: '3' });
  assert.ok(a.ok && a.json);
  assert.deepEqual(JSON.parse(a.json), JSON.parse(JSON.stringify(a.data)));
  assert.equal(a.data.namespaces.length, 3);
  const again = await getOverview({ limit: '3' });
  assert.ok(again.ok);
  assert.equal(again.json, a.json, 'the same analysis and query answer the same bytes');
  const healthy = await getOverview({ limit: '3', health: 'healthy' });
  assert.ok(healthy.ok && healthy.json);
  assert.ok(healthy.data.namespaces.every((n) => n.health === 'healthy'));
  assert.deepEqual(JSON.parse(healthy.json), JSON.parse(JSON.stringify(healthy.data)));
});

test('bad overview parameters are 400s that say what is wrong', async () => {
  assert.deepEqual(await getOverview({ health: 'sick' }), {
    ok: false,
    status: 400,
    body: { error: { status: 400, reason: 'BadRequest', message: 'health must be one of down, unknown, degraded, healthy' } },
  });
  const r = await getOverview({ limit: '5000' });
  assert.equal(r.ok ? 200 : r.status, 400);
});

test('domains and namespaces: found, unknown (404), malformed (400)', async () => {
  const d = await getDomain('app.my-client.junovy.com');
  assert.ok(d.ok);
  assert.equal(d.data.domain.health, 'healthy');
  const missing = await getDomain('nope.example.com');
  assert.deepEqual(missing.ok ? 200 : [missing.status, missing.body.error.message], [404, 'no route in a client environment serves nope.example.com']);
  const bad = await getDomain('a.com:443');
  assert.equal(bad.ok ? 200 : bad.status, 400);
  const other = await getNamespace('kube-system');
  assert.deepEqual(other.ok ? 200 : [other.status, other.body.error.message], [404, 'namespace kube-system is not a client environment (names start with "hst-")']);
});

test('the domain list answers its cached serialisation, and 400s for a bad sort, health or limit', async () => {
  const a = await getDomains({ q: 'ACME', sort: 'name', limit: '2' });
  assert.ok(a.ok && a.json);
  assert.deepEqual(JSON.parse(a.json), JSON.parse(JSON.stringify(a.data)));
  assert.equal(a.data.domains.length, 2);
  assert.equal(a.data.sort, 'name');
  assert.ok(a.data.domains.every((d) => d.host.includes('acme') || d.namespaces.some((n) => n.includes('acme'))));
  const again = await getDomains({ q: 'acme', sort: 'name', limit: '2' });
  assert.equal(again.ok && again.json, a.json, 'the same analysis and query (case aside) answer the same bytes');
  const dflt = await getDomains();
  assert.ok(dflt.ok);
  assert.deepEqual([dflt.data.sort, dflt.data.limit, dflt.data.offset], ['health', 100, 0]);

  const bad = async (p: Parameters<typeof getDomains>[0]) => {
    const r = await getDomains(p);
    return r.ok ? 200 : [r.status, r.body.error.message];
  };
  assert.deepEqual(await bad({ sort: 'since' }), [400, 'sort must be one of health, name, environment']);
  assert.deepEqual(await bad({ health: 'sick' }), [400, 'health must be one of down, unknown, degraded, healthy']);
  assert.deepEqual(await bad({ limit: '5000' }), [400, 'limit must be at most 1000']);
  assert.deepEqual(await bad({ q: 'x'.repeat(201) }), [400, 'q must be at most 200 characters']);
});
