// The share page's history: the redaction of incidents over a fixture whose messages and changes name
// cluster objects, and the uptime badge route (token checks as the health badge, statuses, colours),
// with a HistoryService double: the store is tested on its own, here only what a client gets matters.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { historyDouble } from '../api/history-double';
import { FIXTURE_HOST, FIXTURE_NOW, FIXTURE_SECRET_NAMES, fixtureHistory } from '../api/history-fixture';
import { offHistory } from '../history/off';
import type { HistoryService } from '../history/types';
import type { App } from '../server/app';
import { setApp } from '../server/current';
import { sampleApp, withApp } from '../server/testing';
import { redactHistory } from './history';
import { signShareToken } from './token';
import { badgeRatio, uptimeColor } from './uptime-badge';

const SECRET = 'history-share-test-secret-0123456789abcdef';
const AUTH = 'history-share-test-auth-token-0123';

type UptimeRoute = typeof import('../../app/api/v1/share/[token]/uptime.svg/route');
let route: UptimeRoute;
before(async () => {
  route = await import('../../app/api/v1/share/[token]/uptime.svg/route');
});
after(() => setApp(undefined)?.stop());

describe('redactHistory', () => {
  test('keeps time, duration, worst state and catalogue titles; no name, message or change of the cluster', () => {
    const shared = redactHistory(fixtureHistory());
    assert.deepEqual(shared.incidents, [
      { start: '2026-05-02T03:12:00.000Z', end: '2026-05-02T05:26:00.000Z', durationSeconds: 8040, worst: 'down', titles: ['Container crash-looping', 'No endpoints'] },
    ]);
    assert.deepEqual(
      shared.uptime.map((u) => [u.window, u.ratio]),
      [
        ['24h', 0.9026],
        ['7d', 0.9861],
        ['30d', 0.9969],
        ['90d', null],
      ],
    );
    const json = JSON.stringify(shared);
    for (const name of FIXTURE_SECRET_NAMES) assert.ok(!json.includes(name), `"${name}" must not reach a client`);
    assert.ok(!json.includes('selector') && !json.includes('app='), 'no change line');
  });

  test('an open incident stays open; an unknown code is shown as itself, never a message', () => {
    const h = fixtureHistory();
    const { end: _end, ...open } = h.incidents[0]!;
    const shared = redactHistory({ uptime: [], incidents: [{ ...open, codes: ['future.code'], message: 'Secret booking-tls is broken' }] });
    assert.deepEqual(shared.incidents[0]!.titles, ['future.code']);
    assert.equal('end' in shared.incidents[0]!, false);
    assert.ok(!JSON.stringify(shared).includes('booking'));
  });
});

describe('GET /api/v1/share/{token}/uptime.svg', () => {
  const token = (host = FIXTURE_HOST, days = 7) => signShareToken({ host, expiresAt: new Date(FIXTURE_NOW.getTime() + days * 86_400_000) }, SECRET);
  const appWith = (history: HistoryService, env: Record<string, string> = {}): App => ({ ...sampleApp({ CHAINBOARD_SHARE_SECRET: SECRET, ...env }, () => FIXTURE_NOW), history });
  const get = (app: App, t: string, query = '') =>
    withApp(app, async () => {
      const res = await route.GET(new Request(`http://127.0.0.1:3000/api/v1/share/${t}/uptime.svg${query}`), { params: Promise.resolve({ token: t }) });
      return { res, svg: await res.text() };
    });

  test('200: the window\'s uptime, public even with the dashboard token set, embeddable', async () => {
    const double = historyDouble({ domains: { [FIXTURE_HOST]: fixtureHistory() } });
    const { res, svg } = await get(appWith(double, { CHAINBOARD_AUTH_TOKEN: AUTH }), token());
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/svg+xml; charset=utf-8');
    assert.equal(res.headers.get('cross-origin-resource-policy'), 'cross-origin');
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
    assert.match(svg, /aria-label="uptime 30d: 99\.69%"/);
    assert.ok(svg.includes(uptimeColor(0.9969)));
    assert.equal(double.calls[0]!.name, FIXTURE_HOST);
    const day = await get(appWith(double), token(), '?window=24h&label=booking%20site');
    assert.match(day.svg, /aria-label="booking site: 90\.26%"/);
    const none = await get(appWith(double), token(), '?window=90d');
    assert.match(none.svg, /aria-label="uptime 90d: no data"/);
  });

  test('refused tokens get the health badge\'s 403 that names no host; a bad window 400; history off 503', async () => {
    const double = historyDouble({ domains: { [FIXTURE_HOST]: fixtureHistory() } });
    const forged = `${token().slice(0, -4)}AAAA`;
    const refused = await get(appWith(double), forged);
    assert.equal(refused.res.status, 403);
    assert.match(refused.svg, /aria-label="chainboard: invalid link"/);
    assert.ok(!refused.svg.includes(FIXTURE_HOST));
    const expired = await get(appWith(double), signShareToken({ host: FIXTURE_HOST, expiresAt: new Date(FIXTURE_NOW.getTime() - 1000) }, SECRET));
    assert.equal(expired.res.status, 403);
    assert.match(expired.svg, /link expired/);
    const revokedToken = token();
    const revoked = await get(appWith(double, { CHAINBOARD_SHARE_REVOKED: revokedToken }), revokedToken);
    assert.match(revoked.svg, /link revoked/);
    assert.equal(double.calls.length, 0, 'history is not read for a refused link');
    assert.equal((await get(appWith(double), token(), '?window=1y')).res.status, 400);
    const off = await get(appWith(offHistory('history is not configured')), token());
    assert.equal(off.res.status, 503);
    assert.match(off.svg, /unavailable/);
    assert.ok(!off.svg.includes('configured'), 'the reason stays on the server');
  });

  test('ratios round down and colour by threshold', () => {
    assert.deepEqual([badgeRatio(0.99999), badgeRatio(1), badgeRatio(0.5)], ['99.99%', '100%', '50.00%']);
    assert.deepEqual([uptimeColor(0.9995), uptimeColor(0.995), uptimeColor(0.9), uptimeColor(null)], ['#15803d', '#b45309', '#b91c1c', '#6b7280']);
  });
});
