import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { describeRefusal, MAX_SHARE_TTL_SECONDS, MIN_SHARE_SECRET_LENGTH, SHARE_CLOCK_SKEW_SECONDS, SHARE_LINK_ID_LENGTH, shareLinkId, ShareTokenError, signShareToken, verifyShareToken } from './token';

const SECRET = 'a-test-secret-that-is-long-enough-0123456789';
const OTHER_SECRET = 'another-chainboard-with-its-own-secret-98765';
const now = new Date('2026-11-26T09:30:00Z');
const expiresAt = new Date('2026-12-03T09:30:00Z');
const host = 'checkout.acme.junovy.com';

const b64 = (s: string) => Buffer.from(s).toString('base64url');
/** Replace part `i` of a token. */
const withPart = (token: string, i: number, value: string) => token.split('.').map((p, j) => (j === i ? value : p)).join('.');
/** Flip one bit of a base64url string, keeping it canonical. */
function flipBit(part: string): string {
  const bytes = Buffer.from(part, 'base64url');
  bytes[0] = bytes[0]! ^ 1;
  return bytes.toString('base64url');
}

describe('share tokens name their cluster', () => {
  test('round trip: a token verifies to the host, cluster and expiry it was made for', () => {
    const token = signShareToken({ host, cluster: 'eu', expiresAt }, SECRET);
    assert.match(token, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.\d+\.[A-Za-z0-9_-]{43}$/);
    const v = verifyShareToken(token, SECRET, now);
    assert.ok(v.status === 'ok');
    assert.deepEqual(v.claims, { host, cluster: 'eu', expiresAt });
    assert.equal(shareLinkId(token), token.split('.')[3]!.slice(0, SHARE_LINK_ID_LENGTH), 'the link id is the MAC\'s start, as for old links');
  });

  test('changing the cluster breaks the signature, and so does dropping it', () => {
    const token = signShareToken({ host, cluster: 'eu', expiresAt }, SECRET);
    assert.equal(verifyShareToken(withPart(token, 1, b64('us')), SECRET, now).status, 'bad-signature');
    assert.equal(verifyShareToken(withPart(token, 1, flipBit(b64('eu'))), SECRET, now).status, 'bad-signature', 'one bit of the cluster');
    const [h, , e, m] = token.split('.');
    assert.equal(verifyShareToken(`${h}.${e}.${m}`, SECRET, now).status, 'bad-signature', 'a cluster-less token with the same MAC does not verify');
    const old = signShareToken({ host, expiresAt }, SECRET).split('.');
    assert.equal(verifyShareToken(`${old[0]}.${b64('eu')}.${old[1]}.${old[2]}`, SECRET, now).status, 'bad-signature', 'an old MAC does not sign a cluster');
  });

  test('a link made before clusters were named still verifies, with no cluster in its claims', () => {
    const token = signShareToken({ host, expiresAt }, SECRET);
    assert.equal(token.split('.').length, 3);
    const v = verifyShareToken(token, SECRET, now);
    assert.ok(v.status === 'ok');
    assert.deepEqual(v.claims, { host, expiresAt });
  });

  test('refuses to sign a cluster that is not a cluster name, and a token naming one is malformed', () => {
    for (const bad of ['EU', 'eu.west', '', '-eu', 'a'.repeat(64)]) {
      assert.throws(() => signShareToken({ host, cluster: bad, expiresAt }, SECRET), ShareTokenError, bad);
    }
    const token = signShareToken({ host, cluster: 'eu', expiresAt }, SECRET);
    assert.equal(verifyShareToken(withPart(token, 1, b64('EU')), SECRET, now).status, 'malformed');
    assert.equal(verifyShareToken(`${token}.x`, SECRET, now).status, 'malformed');
  });
});

describe('share tokens', () => {
  test('round trip: a token verifies to the host and expiry it was made for', () => {
    const token = signShareToken({ host, expiresAt }, SECRET);
    const v = verifyShareToken(token, SECRET, now);
    assert.equal(v.status, 'ok');
    assert.ok(v.status === 'ok');
    assert.equal(v.claims.host, host);
    assert.equal(v.claims.expiresAt.toISOString(), expiresAt.toISOString());
  });

  test('a token is URL-path safe and names its host readably only in base64url', () => {
    const token = signShareToken({ host: '*.preview.acme.junovy.com', expiresAt }, SECRET);
    assert.match(token, /^[A-Za-z0-9_-]+\.\d+\.[A-Za-z0-9_-]{43}$/);
    assert.equal(encodeURIComponent(token), token);
    const v = verifyShareToken(token, SECRET, now);
    assert.ok(v.status === 'ok' && v.claims.host === '*.preview.acme.junovy.com');
  });

  test('wildcard and catch-all hosts round trip', () => {
    for (const h of ['*', '*.preview.acme.junovy.com', 'app.my-client.junovy.com']) {
      const v = verifyShareToken(signShareToken({ host: h, expiresAt }, SECRET), SECRET, now);
      assert.ok(v.status === 'ok' && v.claims.host === h, h);
    }
  });

  test('changing the host part makes the signature bad', () => {
    const token = signShareToken({ host, expiresAt }, SECRET);
    assert.deepEqual(verifyShareToken(withPart(token, 0, b64('www.acme.junovy.com')), SECRET, now), { status: 'bad-signature' });
  });

  test('changing the expiry makes the signature bad (a link cannot be extended)', () => {
    const token = signShareToken({ host, expiresAt }, SECRET);
    const later = String(Math.floor(expiresAt.getTime() / 1000) + 86400 * 365);
    assert.deepEqual(verifyShareToken(withPart(token, 1, later), SECRET, now), { status: 'bad-signature' });
  });

  test('changing one bit of the signature makes it bad', () => {
    const token = signShareToken({ host, expiresAt }, SECRET);
    const sig = token.split('.')[2]!;
    assert.deepEqual(verifyShareToken(withPart(token, 2, flipBit(sig)), SECRET, now), { status: 'bad-signature' });
  });

  test('a truncated or lengthened signature is bad, not an error', () => {
    const token = signShareToken({ host, expiresAt }, SECRET);
    const sig = token.split('.')[2]!;
    const short = Buffer.from(sig, 'base64url').subarray(0, 16).toString('base64url');
    const long = Buffer.concat([Buffer.from(sig, 'base64url'), Buffer.from([0])]).toString('base64url');
    assert.deepEqual(verifyShareToken(withPart(token, 2, short), SECRET, now), { status: 'bad-signature' });
    assert.deepEqual(verifyShareToken(withPart(token, 2, long), SECRET, now), { status: 'bad-signature' });
  });

  test('a token from another Chainboard (another secret) is bad', () => {
    const foreign = signShareToken({ host, expiresAt }, OTHER_SECRET);
    assert.deepEqual(verifyShareToken(foreign, SECRET, now), { status: 'bad-signature' });
  });

  test('a token expires at its expiry, to the second', () => {
    const token = signShareToken({ host, expiresAt }, SECRET);
    assert.equal(verifyShareToken(token, SECRET, new Date(expiresAt.getTime() - 1000)).status, 'ok');
    const at = verifyShareToken(token, SECRET, expiresAt);
    assert.equal(at.status, 'expired');
    assert.equal(verifyShareToken(token, SECRET, new Date(expiresAt.getTime() + 86400_000)).status, 'expired');
  });

  test('an expired token that was also tampered with is reported as tampered, not expired', () => {
    const token = signShareToken({ host, expiresAt: new Date('2026-01-01T00:00:00Z') }, SECRET);
    assert.deepEqual(verifyShareToken(withPart(token, 0, b64('www.acme.junovy.com')), SECRET, now), { status: 'bad-signature' });
  });

  test('a token for one host, asked about another, is refused as wrong-host', () => {
    const token = signShareToken({ host, expiresAt }, SECRET);
    assert.deepEqual(verifyShareToken(token, SECRET, now, { host: 'www.acme.junovy.com' }), { status: 'wrong-host' });
    assert.equal(verifyShareToken(token, SECRET, now, { host }).status, 'ok');
  });

  test('moving a signature onto another host’s token does not work', () => {
    const a = signShareToken({ host, expiresAt }, SECRET);
    const b = signShareToken({ host: 'www.acme.junovy.com', expiresAt }, SECRET);
    const spliced = withPart(b, 2, a.split('.')[2]!);
    assert.deepEqual(verifyShareToken(spliced, SECRET, now), { status: 'bad-signature' });
  });

  test('things that are not tokens are malformed', () => {
    const token = signShareToken({ host, expiresAt }, SECRET);
    const [h, e, s] = token.split('.') as [string, string, string];
    for (const bad of [
      '',
      'abc',
      `${h}.${e}`,
      `${token}.extra`,
      `${h}.0${e}.${s}`,
      `${h}.-5.${s}`,
      `${h}.12e9.${s}`,
      `${h}.${e}.${s}=`,
      `${h}+.${e}.${s}`,
      `${b64('Not A Host!')}.${e}.${s}`,
      `${b64('CHECKOUT.acme.junovy.com')}.${e}.${s}`,
      'x'.repeat(2000),
    ]) {
      assert.deepEqual(verifyShareToken(bad, SECRET, now), { status: 'malformed' }, bad.slice(0, 80));
    }
  });

  test('without a secret sharing is off and every token is refused as disabled', () => {
    const token = signShareToken({ host, expiresAt }, SECRET);
    assert.deepEqual(verifyShareToken(token, undefined, now), { status: 'disabled' });
    assert.deepEqual(verifyShareToken(token, '', now), { status: 'disabled' });
  });

  test('signing refuses short secrets, non-canonical hosts and invalid dates', () => {
    assert.throws(() => signShareToken({ host, expiresAt }, 'x'.repeat(MIN_SHARE_SECRET_LENGTH - 1)), ShareTokenError);
    assert.throws(() => signShareToken({ host: 'Checkout.acme.junovy.com', expiresAt }, SECRET), ShareTokenError);
    assert.throws(() => signShareToken({ host: 'not a host', expiresAt }, SECRET), ShareTokenError);
    assert.throws(() => signShareToken({ host, expiresAt: new Date(NaN) }, SECRET), ShareTokenError);
  });

  test('a revoked link is refused as revoked; other links of the same host are not', () => {
    const token = signShareToken({ host, expiresAt }, SECRET);
    const sibling = signShareToken({ host, expiresAt: new Date(expiresAt.getTime() + 1000) }, SECRET);
    const id = shareLinkId(token)!;
    assert.equal(id.length, SHARE_LINK_ID_LENGTH);
    assert.equal(id, token.split('.')[2]!.slice(0, SHARE_LINK_ID_LENGTH));
    assert.notEqual(shareLinkId(sibling), id);
    const revoked = new Set([id]);
    assert.deepEqual(verifyShareToken(token, SECRET, now, { revoked }), { status: 'revoked' });
    assert.equal(verifyShareToken(sibling, SECRET, now, { revoked }).status, 'ok');
    assert.equal(verifyShareToken(token, SECRET, now, { revoked: new Set() }).status, 'ok');
  });

  test('revocation is checked only for authentic tokens: a forged token with a listed id is bad, not revoked', () => {
    const token = signShareToken({ host, expiresAt }, SECRET);
    const revoked = new Set([shareLinkId(token)!]);
    // Same id (first 16 characters of the MAC), rest of the MAC changed.
    const [h, e, m] = token.split('.') as [string, string, string];
    const forged = `${h}.${e}.${m.slice(0, SHARE_LINK_ID_LENGTH)}${flipBit(m.slice(SHARE_LINK_ID_LENGTH, SHARE_LINK_ID_LENGTH + 4))}${m.slice(SHARE_LINK_ID_LENGTH + 4)}`;
    assert.equal(verifyShareToken(forged, SECRET, now, { revoked }).status, 'bad-signature');
    assert.equal(verifyShareToken(token, OTHER_SECRET, now, { revoked }).status, 'bad-signature');
    // Revoked wins over expired: the answer does not change when the link would have expired anyway.
    assert.equal(verifyShareToken(token, SECRET, new Date('2027-01-01T00:00:00Z'), { revoked }).status, 'revoked');
  });

  test('a token that would outlive the longest lifetime is refused, even with the right secret', () => {
    const ninetyYears = signShareToken({ host, expiresAt: new Date(now.getTime() + 90 * 365 * 86400_000) }, SECRET);
    assert.deepEqual(verifyShareToken(ninetyYears, SECRET, now), { status: 'lifetime-too-long' });
    assert.deepEqual(verifyShareToken(ninetyYears, SECRET, now, { host }), { status: 'lifetime-too-long' });
  });

  test('a token of the longest lifetime is accepted, with a few minutes of clock skew and not a second more', () => {
    const at = (seconds: number) => signShareToken({ host, expiresAt: new Date(now.getTime() + seconds * 1000) }, SECRET);
    assert.equal(verifyShareToken(at(MAX_SHARE_TTL_SECONDS), SECRET, now).status, 'ok');
    assert.equal(verifyShareToken(at(MAX_SHARE_TTL_SECONDS + SHARE_CLOCK_SKEW_SECONDS), SECRET, now).status, 'ok');
    assert.equal(verifyShareToken(at(MAX_SHARE_TTL_SECONDS + SHARE_CLOCK_SKEW_SECONDS + 1), SECRET, now).status, 'lifetime-too-long');
  });

  test('a token refused for its lifetime is first checked for tampering and revocation', () => {
    const token = signShareToken({ host, expiresAt: new Date('2116-01-01T00:00:00Z') }, SECRET);
    assert.equal(verifyShareToken(token, OTHER_SECRET, now).status, 'bad-signature');
    assert.equal(verifyShareToken(token, SECRET, now, { revoked: new Set([shareLinkId(token)!]) }).status, 'revoked');
  });

  test('shareLinkId names only things shaped like tokens', () => {
    for (const bad of ['', 'a.b', 'a.b.c', 'a.1.short', `a.1.${'!'.repeat(43)}`, 'x.y.z.w']) assert.equal(shareLinkId(bad), undefined, bad);
  });

  test('refusal messages name no domain', () => {
    const token = signShareToken({ host, expiresAt }, SECRET);
    const expired = verifyShareToken(token, SECRET, new Date('2027-01-01T00:00:00Z'));
    assert.ok(expired.status === 'expired');
    const refusals = [expired, ...(['bad-signature', 'malformed', 'disabled', 'wrong-host', 'revoked', 'lifetime-too-long'] as const).map((status) => ({ status }))];
    for (const v of refusals) {
      const text = describeRefusal(v);
      assert.ok(text.length > 10);
      assert.ok(!text.includes(host), text);
    }
    assert.match(describeRefusal(expired), /expired on 2026-12-03 09:30 UTC/);
    assert.match(describeRefusal({ status: 'lifetime-too-long' }), /longer than the 90 days/);
  });
});
