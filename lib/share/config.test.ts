import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_SHARE_TTL_SECONDS, MAX_SHARE_TTL_SECONDS, parseRevoked, parseTtl, shareSecret, shareSettings } from './config';
import { shareLinkId, signShareToken } from './token';
import { sameOriginReloadHtml, shareDeniedHtml } from './html';

describe('share settings', () => {
  test('sharing is on only with a secret of at least 32 characters', () => {
    assert.deepEqual(shareSettings({}), { enabled: false, reason: 'Sharing is off: CHAINBOARD_SHARE_SECRET is not set.' });
    assert.equal(shareSettings({ CHAINBOARD_SHARE_SECRET: 'short' }).enabled, false);
    assert.match((shareSettings({ CHAINBOARD_SHARE_SECRET: 'short' }) as { reason: string }).reason, /at least 32 characters/);
    const secret = 's'.repeat(32);
    assert.deepEqual(shareSettings({ CHAINBOARD_SHARE_SECRET: secret }), { enabled: true, secret });
    assert.equal(shareSecret(shareSettings({ CHAINBOARD_SHARE_SECRET: 'short' })), undefined);
  });

  test('CHAINBOARD_SHARE_REVOKED takes link ids, whole tokens and whole links, comma or space separated', () => {
    const secret = 's'.repeat(32);
    const t1 = signShareToken({ host: 'a.example.com', expiresAt: new Date('2027-01-01T00:00:00Z') }, secret);
    const t2 = signShareToken({ host: 'b.example.com', expiresAt: new Date('2027-01-01T00:00:00Z') }, secret);
    const t3 = signShareToken({ host: 'c.example.com', expiresAt: new Date('2027-01-01T00:00:00Z') }, secret);
    const ids = parseRevoked(` ${shareLinkId(t1)}, ${t2}\nhttps://cb.example.com/share/${t3}?x=1  not-an-id `);
    assert.deepEqual([...ids].sort(), [shareLinkId(t1), shareLinkId(t2), shareLinkId(t3)].sort());
    assert.equal(parseRevoked(undefined).size, 0);
    assert.equal(parseRevoked('').size, 0);
  });

  test('link lifetimes: seconds or 30m/12h/7d, default 7 days, between 5 minutes and 90 days', () => {
    assert.deepEqual(parseTtl(undefined), { ok: true, value: DEFAULT_SHARE_TTL_SECONDS });
    assert.deepEqual(parseTtl(3600), { ok: true, value: 3600 });
    assert.deepEqual(parseTtl('3600'), { ok: true, value: 3600 });
    assert.deepEqual(parseTtl('30m'), { ok: true, value: 1800 });
    assert.deepEqual(parseTtl('12h'), { ok: true, value: 43200 });
    assert.deepEqual(parseTtl('90d'), { ok: true, value: MAX_SHARE_TTL_SECONDS });
    for (const bad of ['91d', '4m', 299, 1.5, -1, '1w', '7 d', 'x', {}, true]) assert.equal(parseTtl(bad).ok, false, String(bad));
  });
});

describe('proxy pages', () => {
  test('the 403 page of a refused link escapes its message and runs no script', () => {
    const html = shareDeniedHtml('<img src=x onerror=alert(1)> & more');
    assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt; &amp; more'));
    assert.ok(!/<script|<img|href=/i.test(html));
    assert.match(html, /This share link does not work/);
  });

  test('the same-origin reload points back at the same path, escaped', () => {
    const html = sameOriginReloadHtml('/d/x.example.com?focus="a"&b=1');
    assert.ok(html.includes('content="0;url=/d/x.example.com?focus=&quot;a&quot;&amp;b=1"'));
    assert.ok(!/<script/i.test(html));
  });
});
