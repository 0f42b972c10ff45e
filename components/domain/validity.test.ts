import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { validityAt } from './validity';

// A 90-day Let's Encrypt certificate, ten days into its life (plus a little, so the fraction is not round).
const cert = { notBefore: '2026-11-16T09:30:00Z', notAfter: '2027-02-14T09:30:00Z' };
const tenDaysIn = Date.parse('2026-11-26T09:30:00Z') + 1234;

describe('the certificate validity bar', () => {
  test('renders the same markup on the server and at hydration: no clock, whatever the time', () => {
    // The server render and the browser's hydration render run seconds apart; both see no clock, so both
    // produce the placeholder, and React finds nothing to mismatch.
    assert.equal(validityAt(cert, null), null);
  });

  test('renders the width as a short exact string that two renders a moment apart agree on', () => {
    const v = validityAt(cert, tenDaysIn);
    assert.ok(v);
    // 10 days of 90 is 11.1111...%: the unrounded float (11.111539...%) is what the browser rewrote and
    // React reported as a mismatch.
    assert.equal(v.width, '11.11%');
    assert.equal(validityAt(cert, tenDaysIn + 20_000)?.width, '11.11%');
    assert.match(v.width, /^\d{1,3}\.\d\d%$/);
    assert.deepEqual({ percent: v.percent, tone: v.tone, text: v.text }, { percent: 11, tone: 'healthy', text: '79 days left' });
  });

  test('says expired, not valid yet and the last third, and clamps the bar', () => {
    assert.deepEqual(
      (({ width, tone, text }) => ({ width, tone, text }))(validityAt(cert, Date.parse('2027-02-16T10:00:00Z'))!),
      { width: '100.00%', tone: 'down', text: 'expired 3 days ago' },
    );
    assert.deepEqual(
      (({ width, tone, text }) => ({ width, tone, text }))(validityAt(cert, Date.parse('2026-11-15T00:00:00Z'))!),
      { width: '0.00%', tone: 'down', text: 'not valid yet' },
    );
    assert.equal(validityAt(cert, Date.parse('2027-02-13T09:30:00Z'))?.text, '1 day left');
    assert.equal(validityAt(cert, Date.parse('2027-01-20T00:00:00Z'))?.tone, 'degraded');
  });

  test('draws no bar for dates that make no lifetime', () => {
    assert.equal(validityAt({ notBefore: 'garbage', notAfter: cert.notAfter }, tenDaysIn), null);
    assert.equal(validityAt({ notBefore: cert.notAfter, notAfter: cert.notBefore }, tenDaysIn), null);
  });
});
