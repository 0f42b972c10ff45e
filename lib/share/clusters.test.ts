// Sharing when Chainboard watches two clusters that both serve a host (a client being moved): the link
// signs the cluster it shows, its page, JSON, badges and uptime read that cluster only, and a link made
// before clusters were named either finds its one cluster or says why it cannot.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { historyDouble } from '../api/history-double';
import { FIXTURE_HOST, FIXTURE_NOW, fixtureHistory } from '../api/history-fixture';
import { setApp } from '../server/current';
import { sampleApp, withApp } from '../server/testing';
import { signShareToken, verifyShareToken } from './token';
import { sharedUptimeBadge } from './uptime-badge';
import { twoClusterApp } from './two-clusters.testing';

const SECRET = 'clusters-share-test-secret-0123456789abcdef';
const env = { CHAINBOARD_SHARE_SECRET: SECRET };
const now = FIXTURE_NOW;
const expiresAt = new Date(now.getTime() + 7 * 86_400_000);
after(() => setApp(undefined)?.stop());

describe('share links with two clusters', () => {
  test('a link is made for one cluster: without "cluster" a host both serve is a 400; with it, the token signs that cluster', async () => {
    const app = twoClusterApp(historyDouble(), env, () => now);
    await withApp(app, async () => {
      const ambiguous = await app.share.createShareLink({ host: FIXTURE_HOST, ttl: '1d' }, now);
      assert.ok(!ambiguous.ok && ambiguous.status === 400);
      assert.match(ambiguous.body.error.message, /several clusters \(eu, us\)/);
      const unknown = await app.share.createShareLink({ host: FIXTURE_HOST, cluster: 'mars', ttl: '1d' }, now);
      assert.ok(!unknown.ok && unknown.status === 404);

      const made = await app.share.createShareLink({ host: FIXTURE_HOST, cluster: 'us', ttl: '1d' }, now);
      assert.ok(made.ok);
      assert.equal(made.data.cluster, 'us');
      const v = verifyShareToken(made.data.token, SECRET, now);
      assert.ok(v.status === 'ok' && v.claims.cluster === 'us');
      assert.equal(made.data.badgePath, `/api/v1/share/${made.data.token}/badge.svg`);

      const opened = await app.share.openSharedDomain(made.data.token, now);
      assert.ok(opened.status === 'ok');
      assert.equal(opened.cluster, 'us');
      assert.equal(opened.severalClusters, true);
      const json = await app.share.readSharedDomain(made.data.token, now);
      assert.ok(json.ok && json.data.cluster === 'us', 'the JSON names the cluster when there are several');
    });
  });

  test('a link for a cluster no longer watched says the domain is no longer served', async () => {
    const app = twoClusterApp(historyDouble(), env, () => now);
    await withApp(app, async () => {
      const token = signShareToken({ host: FIXTURE_HOST, cluster: 'gone', expiresAt }, SECRET);
      const opened = await app.share.openSharedDomain(token, now);
      assert.ok(opened.status === 'unavailable' && opened.httpStatus === 404);
    });
  });

  test('a link made before clusters were named, for a host both serve and DNS names neither, says why it cannot be shown', async () => {
    const app = twoClusterApp(historyDouble(), env, () => now);
    await withApp(app, async () => {
      const old = signShareToken({ host: FIXTURE_HOST, expiresAt }, SECRET);
      const opened = await app.share.openSharedDomain(old, now);
      assert.ok(opened.status === 'unavailable' && opened.httpStatus === 409);
      assert.match(opened.message, /made before Chainboard watched several clusters.*new link/);
      const json = await app.share.readSharedDomain(old, now);
      assert.ok(!json.ok && json.status === 409);
      const badge = await app.share.sharedBadgeFor(old, now);
      assert.equal(badge.status, 409);
      assert.match(badge.svg, /ambiguous link/);
    });
  });

  test('a link made before clusters were named opens on the one cluster serving its host', async () => {
    const app = sampleApp(env, () => now);
    await withApp(app, async () => {
      const old = signShareToken({ host: FIXTURE_HOST, expiresAt }, SECRET);
      const opened = await app.share.openSharedDomain(old, now);
      assert.ok(opened.status === 'ok');
      assert.equal(opened.cluster, 'default');
      assert.equal(opened.severalClusters, false);
      const json = await app.share.readSharedDomain(old, now);
      assert.ok(json.ok && !('cluster' in json.data), 'one cluster: nothing to name');
    });
  });

  test('the domain badge takes ?cluster= (an unknown one is a "not found" badge)', async () => {
    const app = twoClusterApp(historyDouble(), env, () => now);
    await withApp(app, async () => {
      assert.equal((await app.share.domainBadgeFor(FIXTURE_HOST, null, 'eu')).status, 200);
      const mars = await app.share.domainBadgeFor(FIXTURE_HOST, null, 'mars');
      assert.equal(mars.status, 404);
      assert.match(mars.svg, /not found/);
    });
  });

  test('the uptime badge reads the history of the link\'s cluster', async () => {
    const us = fixtureHistory();
    const eu = { ...fixtureHistory(), uptime: fixtureHistory().uptime.map((u) => ({ ...u, ratio: 0.5 })) };
    const double = historyDouble({ domains: { [`us/${FIXTURE_HOST}`]: us, [`eu/${FIXTURE_HOST}`]: eu } });
    const app = twoClusterApp(double, env, () => now);
    await withApp(app, async () => {
      const badgeOf = async (cluster: string) => sharedUptimeBadge(app, signShareToken({ host: FIXTURE_HOST, cluster, expiresAt }, SECRET), '30d', null);
      const a = await badgeOf('us');
      const b = await badgeOf('eu');
      assert.equal(a.status, 200);
      assert.match(a.svg, /99\.69%/);
      assert.match(b.svg, /50\.00%/);
      assert.deepEqual(double.calls.map((c) => c.query.cluster), ['us', 'eu']);
    });
  });
});
