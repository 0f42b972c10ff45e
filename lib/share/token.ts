import 'server-only';
/**
 * Signed client links: a token names one host, the cluster serving it and an expiry, authenticated with
 * HMAC-SHA256 under `CHAINBOARD_SHARE_SECRET`. A token grants read access to the redacted view of that
 * one host in that one cluster until it expires, and nothing else. There is no server-side state: one link is withdrawn by listing its id
 * (`shareLinkId`, the first 16 characters of its MAC) in `CHAINBOARD_SHARE_REVOKED`; every link at once
 * by rotating the secret.
 *
 * Token format (URL-path safe): `<base64url(host)>.<base64url(cluster)>.<expiry, unix seconds>.<base64url(mac)>`,
 * where `mac = HMAC-SHA256(secret, "chainboard.share.v2\0" + host + "\0" + cluster + "\0" + expiry)`.
 * The cluster is signed: changing it breaks the MAC like changing the host does. The version prefix in the
 * MAC input keeps these MACs from being valid for any other use of the same secret, or for the other
 * version.
 *
 * Links made before Chainboard watched several clusters have three parts and no cluster:
 * `<base64url(host)>.<expiry>.<base64url(mac)>` with `mac` over `"chainboard.share.v1\0" + host + "\0" +
 * expiry`. They still verify, with no `cluster` in their claims; lib/share/service.ts reads them as the
 * cluster that serves the host, when one does unambiguously.
 *
 * @see https://www.rfc-editor.org/rfc/rfc2104 (HMAC)
 * @see https://www.rfc-editor.org/rfc/rfc4648#section-5 (base64url)
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { parseHost } from '../api/params';

/** The shortest secret accepted: 32 characters (e.g. `openssl rand -base64 32` gives 44). */
export const MIN_SHARE_SECRET_LENGTH = 32;

const MAC_CONTEXT_V1 = 'chainboard.share.v1';
const MAC_CONTEXT_V2 = 'chainboard.share.v2';
/** lib/server/config.ts's `isClusterName` (a DNS label), kept here so the proxy's token check imports no configuration. */
const CLUSTER_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const MAC_BYTES = 32;
const B64URL = /^[A-Za-z0-9_-]+$/;
// 12 digits of seconds reach the year 33658: enough, and it keeps Number() exact.
const EXPIRY = /^[1-9][0-9]{0,11}$/;

/** Characters of the MAC that name a link (96 bits: unique among links, useless for forging one). */
export const SHARE_LINK_ID_LENGTH = 16;

/**
 * The longest lifetime of a link: 90 days. A link is a bearer credential until it expires or is revoked,
 * so verification holds every token to it too, not only the form that makes links
 * (lib/share/config.ts `parseTtl`): a token with a later expiry was not made by this Chainboard's rules.
 */
export const MAX_SHARE_TTL_SECONDS = 90 * 24 * 3600;

/**
 * How far a token's expiry may lie beyond {@link MAX_SHARE_TTL_SECONDS} from now: 5 minutes, for a clock
 * that is stepped back or runs behind the one of the replica that signed the link.
 */
export const SHARE_CLOCK_SKEW_SECONDS = 5 * 60;

/** What a token says, once verified. */
export interface ShareClaims {
  /** The one host the token grants, as Chainboard names it (lower-case; may be `*.example.com` or `*`). */
  host: string;
  /** The cluster whose chain of the host the link shows; absent in a link made before clusters were named. */
  cluster?: string;
  /** When the link stops working. Whole seconds: the token stores unix seconds. */
  expiresAt: Date;
}

/**
 * The outcome of checking a token. Only `ok` grants anything; every other status is shown as a 403.
 * - `expired`: authentic, but past its expiry (the claims are returned for the message only).
 * - `lifetime-too-long`: authentic, but its expiry lies further ahead than {@link MAX_SHARE_TTL_SECONDS}
 *   (plus {@link SHARE_CLOCK_SKEW_SECONDS}): signed outside the rules, e.g. by a script holding the secret.
 * - `bad-signature`: well-formed, but not made with this secret for this host, cluster and expiry
 *   (tampered, or from another Chainboard).
 * - `wrong-host`: authentic, but for another host than the one asked about.
 * - `revoked`: authentic, but its id is listed in `CHAINBOARD_SHARE_REVOKED`.
 * - `malformed`: not a token at all.
 * - `disabled`: sharing is off (no secret configured).
 */
export type ShareVerification =
  | { status: 'ok'; claims: ShareClaims }
  | { status: 'expired'; claims: ShareClaims }
  | { status: 'lifetime-too-long' }
  | { status: 'bad-signature' }
  | { status: 'wrong-host' }
  | { status: 'revoked' }
  | { status: 'malformed' }
  | { status: 'disabled' };

/** Thrown by `signShareToken` for arguments it must never sign. */
export class ShareTokenError extends Error {
  override name = 'ShareTokenError';
}

function mac(secret: string, host: string, cluster: string | undefined, expiry: string): Buffer {
  const input = cluster === undefined ? `${MAC_CONTEXT_V1}\0${host}\0${expiry}` : `${MAC_CONTEXT_V2}\0${host}\0${cluster}\0${expiry}`;
  return createHmac('sha256', secret).update(input).digest();
}

/**
 * Make a token for `host` in `cluster`, valid until `expiresAt` (rounded down to the second). Without a
 * cluster it makes the old three-part form (kept for tests of old links; the app always names one).
 * @throws ShareTokenError when the secret is shorter than {@link MIN_SHARE_SECRET_LENGTH}, the host is not a
 * valid host name, the cluster is not a cluster name, or the expiry is not a valid date.
 */
export function signShareToken(claims: { host: string; cluster?: string; expiresAt: Date }, secret: string): string {
  if (secret.length < MIN_SHARE_SECRET_LENGTH) throw new ShareTokenError(`the share secret must be at least ${MIN_SHARE_SECRET_LENGTH} characters`);
  const host = parseHost(claims.host);
  // Only the canonical form is signed, so one host has one token per expiry and verification can
  // compare hosts as strings.
  if (!host.ok || host.value !== claims.host) throw new ShareTokenError(`not a canonical host name: ${JSON.stringify(claims.host)}`);
  const seconds = Math.floor(claims.expiresAt.getTime() / 1000);
  const expiry = String(seconds);
  if (!Number.isFinite(seconds) || !EXPIRY.test(expiry)) throw new ShareTokenError('expiresAt is not a valid date');
  const hostPart = Buffer.from(host.value, 'utf8').toString('base64url');
  const cluster = claims.cluster;
  if (cluster === undefined) return `${hostPart}.${expiry}.${mac(secret, host.value, undefined, expiry).toString('base64url')}`;
  if (!CLUSTER_NAME.test(cluster)) throw new ShareTokenError(`not a cluster name: ${JSON.stringify(cluster)}`);
  const clusterPart = Buffer.from(cluster, 'utf8').toString('base64url');
  return `${hostPart}.${clusterPart}.${expiry}.${mac(secret, host.value, cluster, expiry).toString('base64url')}`;
}

/**
 * The id of a link: the first {@link SHARE_LINK_ID_LENGTH} characters of its MAC, what
 * `CHAINBOARD_SHARE_REVOKED` lists. `undefined` for anything not shaped like a token. Not a proof of
 * authenticity: verification still checks the whole MAC first.
 */
export function shareLinkId(token: string): string | undefined {
  const parts = token.split('.');
  const macPart = parts[parts.length - 1];
  if ((parts.length !== 3 && parts.length !== 4) || macPart === undefined || macPart.length < SHARE_LINK_ID_LENGTH || !B64URL.test(macPart)) return undefined;
  return macPart.slice(0, SHARE_LINK_ID_LENGTH);
}

/** Decode base64url only in its canonical form, so one token has exactly one spelling. */
function decodeB64url(s: string): Buffer | undefined {
  if (!B64URL.test(s)) return undefined;
  const bytes = Buffer.from(s, 'base64url');
  return bytes.toString('base64url') === s ? bytes : undefined;
}

/**
 * Check a token: structure first, then the MAC (constant time), then whether it was revoked, then the
 * expiry (past, or further ahead than the longest lifetime), then - when `options.host` is given - that the
 * token is for that host. Everything after the MAC is checked only for an authentic token, so an invalid
 * one learns nothing about its claims or the list.
 *
 * @param options.revoked link ids withdrawn (the app's `config.share.revoked`).
 *
 * @param secret `undefined` or empty means sharing is off: every token gets `disabled`.
 * @param now the clock, passed in so the function stays pure.
 */
export function verifyShareToken(token: string, secret: string | undefined, now: Date, options: { host?: string; revoked?: ReadonlySet<string> } = {}): ShareVerification {
  if (!secret) return { status: 'disabled' };
  if (typeof token !== 'string' || token.length > 1024) return { status: 'malformed' };
  const parts = token.split('.');
  if (parts.length !== 3 && parts.length !== 4) return { status: 'malformed' };
  // Three parts: a link from before clusters were named; four: host, cluster, expiry, MAC.
  const [hostPart, clusterPart, expiry, macPart] = (parts.length === 3 ? [parts[0], undefined, parts[1], parts[2]] : parts) as [string, string | undefined, string, string];
  const hostBytes = decodeB64url(hostPart);
  const given = decodeB64url(macPart);
  if (!hostBytes || !given || !EXPIRY.test(expiry)) return { status: 'malformed' };
  const host = hostBytes.toString('utf8');
  const parsed = parseHost(host);
  if (!parsed.ok || parsed.value !== host) return { status: 'malformed' };
  let cluster: string | undefined;
  if (clusterPart !== undefined) {
    cluster = decodeB64url(clusterPart)?.toString('utf8');
    if (cluster === undefined || !CLUSTER_NAME.test(cluster)) return { status: 'malformed' };
  }
  if (given.length !== MAC_BYTES) return { status: 'bad-signature' };
  if (!timingSafeEqual(given, mac(secret, host, cluster, expiry))) return { status: 'bad-signature' };
  if (options.revoked?.has(macPart.slice(0, SHARE_LINK_ID_LENGTH))) return { status: 'revoked' };
  const claims: ShareClaims = { host, ...(cluster !== undefined ? { cluster } : {}), expiresAt: new Date(Number(expiry) * 1000) };
  if (now.getTime() >= claims.expiresAt.getTime()) return { status: 'expired', claims };
  if (claims.expiresAt.getTime() - now.getTime() > (MAX_SHARE_TTL_SECONDS + SHARE_CLOCK_SKEW_SECONDS) * 1000) return { status: 'lifetime-too-long' };
  if (options.host !== undefined && options.host !== host) return { status: 'wrong-host' };
  return { status: 'ok', claims };
}

/** Why a token was refused, in words a client can read. Says nothing about what the token names. */
export function describeRefusal(v: Exclude<ShareVerification, { status: 'ok' }>): string {
  switch (v.status) {
    case 'expired':
      return `This link expired on ${v.claims.expiresAt.toISOString().slice(0, 16).replace('T', ' ')} UTC. Ask your contact for a new one.`;
    case 'lifetime-too-long':
      return `This link is not valid: it would last longer than the ${MAX_SHARE_TTL_SECONDS / 86400} days this Chainboard allows. Ask your contact for a new one.`;
    case 'bad-signature':
      return 'This link is not valid: it was changed, or it was not made by this Chainboard.';
    case 'wrong-host':
      return 'This link is for another domain.';
    case 'revoked':
      return 'This link was withdrawn. Ask your contact for a new one.';
    case 'malformed':
      return 'This is not a valid share link. Check that the whole link was copied.';
    case 'disabled':
      return 'Sharing is turned off on this Chainboard, so share links do not work.';
  }
}
