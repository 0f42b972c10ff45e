import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Health } from '../model/chain';
import { BADGE_COLORS, domainBadge, errorBadge, escapeXml, healthMessage, renderBadge, textWidth } from './badge';
import { etagOf, matchesEtag, reasonCode, svgResponse } from './http';

/** The texts of an SVG (its <title> and <text> contents), unescaped. */
const texts = (svg: string) => [...svg.matchAll(/<(title|text)[^>]*>([^<]*)</g)].map((m) => m[2]!.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&'));
/** Width attribute of the root element. */
const width = (svg: string) => Number(/^<svg[^>]* width="(\d+)"/.exec(svg)?.[1]);

const cases: { health: Health; reason?: string; message: string }[] = [
  { health: 'healthy', message: 'healthy' },
  { health: 'healthy', reason: 'service.single-endpoint', message: 'healthy' },
  { health: 'degraded', reason: 'service.some-endpoints-not-ready', message: 'degraded: some endpoints not ready' },
  { health: 'down', reason: 'service.no-ready-endpoints', message: 'down: no ready endpoints' },
  { health: 'down', reason: 'tls.secret-missing', message: 'down: TLS Secret missing' },
  { health: 'unknown', reason: 'data.forbidden', message: 'unknown: not allowed to read' },
  { health: 'unknown', message: 'unknown' },
];

describe('badges', () => {
  for (const c of cases) {
    test(`a ${c.health} domain${c.reason ? ` (${c.reason})` : ''} reads "${c.message}" on the health colour`, () => {
      assert.equal(healthMessage(c.health, c.reason), c.message);
      const svg = domainBadge({ host: 'checkout.acme.junovy.com', health: c.health, ...(c.reason ? { reasonCode: c.reason } : {}) });
      assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
      assert.ok(svg.endsWith('</svg>'));
      assert.ok(svg.includes(`fill="${BADGE_COLORS[c.health]}"`));
      assert.deepEqual(texts(svg), [`checkout.acme.junovy.com: ${c.message}`, 'checkout.acme.junovy.com', 'checkout.acme.junovy.com', c.message, c.message]);
      assert.match(svg, new RegExp(`aria-label="checkout.acme.junovy.com: ${c.message}"`));
    });
  }

  test('the box grows with its text', () => {
    const short = renderBadge({ label: 'a', message: 'healthy', color: '#15803d' });
    const long = renderBadge({ label: 'app.my-client.junovy.com', message: 'down: no ready endpoints', color: '#b91c1c' });
    assert.ok(width(long) > width(short) + 100);
    assert.ok(width(long) >= Math.ceil(textWidth('app.my-client.junovy.com') + textWidth('down: no ready endpoints')));
  });

  test('label and message are XML-escaped, control characters dropped, long text clipped', () => {
    const svg = renderBadge({ label: '<script>alert("x")</script>', message: `a & b 'c'\u0007${'x'.repeat(100)}`, color: '#fff' });
    assert.ok(!svg.includes('<script>'));
    assert.ok(svg.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'));
    assert.ok(svg.includes('a &amp; b &apos;c&apos;'));
    assert.ok(!svg.includes('\u0007'));
    const message = texts(svg)[3]!;
    assert.equal([...message].length, 60);
    assert.ok(message.endsWith('…'));
  });

  test('a colour that is not a hex colour cannot inject attributes', () => {
    const svg = renderBadge({ label: 'l', message: 'm', color: '"/><script>x</script>' });
    assert.ok(!svg.includes('<script>'));
    assert.ok(svg.includes(`fill="${BADGE_COLORS.unknown}"`));
  });

  test('error badges are grey', () => {
    assert.ok(errorBadge('chainboard', 'invalid link').includes(`fill="${BADGE_COLORS.error}"`));
  });

  test('escapeXml escapes the five XML specials', () => {
    assert.equal(escapeXml(`<&>"'`), '&lt;&amp;&gt;&quot;&apos;');
  });
});

describe('badge responses', () => {
  test('carry the SVG type, no-cache and a strong ETag', async () => {
    const svg = domainBadge({ host: 'x.example.com', health: 'down', reasonCode: 'service.no-endpoints' });
    const res = svgResponse(svg);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/svg+xml; charset=utf-8');
    assert.equal(res.headers.get('cache-control'), 'no-cache, max-age=0');
    assert.equal(res.headers.get('etag'), etagOf(svg));
    assert.match(res.headers.get('etag')!, /^"[A-Za-z0-9_-]{27}"$/);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(await res.text(), svg);
  });

  test('answer 304 without a body when the ETag matches, and 200 when it does not', async () => {
    const svg = domainBadge({ host: 'x.example.com', health: 'healthy' });
    const etag = etagOf(svg);
    const hit = svgResponse(svg, { ifNoneMatch: `"other", W/${etag}` });
    assert.equal(hit.status, 304);
    assert.equal(await hit.text(), '');
    assert.equal(svgResponse(svg, { ifNoneMatch: '"other"' }).status, 200);
    assert.equal(svgResponse(svg, { status: 404, ifNoneMatch: etag }).status, 404);
  });

  test('matchesEtag understands *, lists and weak validators', () => {
    assert.ok(matchesEtag('*', '"a"'));
    assert.ok(matchesEtag('"b", "a"', '"a"'));
    assert.ok(matchesEtag('W/"a"', '"a"'));
    assert.ok(!matchesEtag(null, '"a"'));
  });

  test('the reason is the worst non-info finding, a data gap for unknown, none when healthy', () => {
    const f = [
      { code: 'tls.managed-by-resolver', severity: 'info' as const },
      { code: 'pod.crash-loop', severity: 'warning' as const },
    ];
    assert.equal(reasonCode(f, 'degraded'), 'pod.crash-loop');
    assert.equal(reasonCode(f, 'healthy'), undefined);
    assert.equal(reasonCode([{ code: 'tls.managed-by-resolver', severity: 'info' }, { code: 'data.forbidden', severity: 'info' }], 'unknown'), 'data.forbidden');
  });
});
