/**
 * Throttling of failed sign-ins (POST /api/login), so the dashboard token cannot be guessed at the speed
 * of the network: each client has a token bucket of failed attempts, and all clients together share a
 * larger one. A client whose bucket is empty is answered 429 (with Retry-After) before its token is even
 * compared; a right token never costs anything.
 *
 * Which client: the address a request comes from, taken from `X-Forwarded-For` (see {@link clientAddress}
 * for which entry and why). IPv6 clients are counted per /64, the block one subscriber usually holds, so
 * walking through one's own addresses does not buy new attempts. Anything that is not an address counts
 * as one client, `unknown`.
 *
 * Why a shared bucket too: without a trusted proxy that overwrites `X-Forwarded-For`, the header is what
 * the client says it is (Next fills it in only when a request has none), so a client can claim a new
 * address per attempt. The shared bucket bounds the guessing rate of everyone together; the price is that
 * a flood of failed sign-ins can also hold back other people's form sign-ins for its duration (bearer
 * tokens and existing sessions are not throttled).
 *
 * Memory stays bounded under address churn: a client's bucket is dropped once it has refilled (it is then
 * the same as none), and at most {@link MAX_TRACKED_CLIENTS} are kept, least recently failing first out.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6585#section-4 (429 Too Many Requests)
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3 (Retry-After)
 */
import { isIPv4, isIPv6 } from 'node:net';
import type { Parsed } from '../api/params';

/** One token bucket: up to `burst` failed attempts at once, then one more every `refillMs`. */
export interface BucketLimit {
  burst: number;
  refillMs: number;
}

/** Per client: ten mistakes in a row, then one attempt a minute (a person retyping is never held back). */
export const CLIENT_LIMIT: BucketLimit = { burst: 10, refillMs: 60_000 };
/** All clients together: a hundred at once, then one a second (86,400 guesses a day at the very most). */
export const GLOBAL_LIMIT: BucketLimit = { burst: 100, refillMs: 1_000 };
/** The most clients remembered at once: about a megabyte. */
export const MAX_TRACKED_CLIENTS = 10_000;
/** The key of clients whose address is missing or not an address. */
export const UNKNOWN_CLIENT = 'unknown';

interface Bucket {
  tokens: number;
  /** When `tokens` was last computed, in ms. */
  at: number;
}

/** Token buckets by key, at most `max` of them; a full bucket is not stored. */
class Buckets {
  private readonly map = new Map<string, Bucket>();

  constructor(
    private readonly limit: BucketLimit,
    private readonly max: number,
  ) {}

  get size(): number {
    return this.map.size;
  }

  /** Tokens left at `now`; a clock stepped back refills nothing. */
  private level(b: Bucket, now: number): number {
    return Math.min(this.limit.burst, b.tokens + Math.max(0, now - b.at) / this.limit.refillMs);
  }

  /** Milliseconds until `key` has an attempt left (0: it has one now). */
  wait(key: string, now: number): number {
    const b = this.map.get(key);
    const tokens = b ? this.level(b, now) : this.limit.burst;
    return tokens >= 1 ? 0 : Math.ceil((1 - tokens) * this.limit.refillMs);
  }

  /** Spend one attempt of `key` (never below empty). */
  take(key: string, now: number): void {
    const b = this.map.get(key);
    const tokens = Math.max(0, (b ? this.level(b, now) : this.limit.burst) - 1);
    // Deleted and set again, so the Map's order is least recently failing first.
    this.map.delete(key);
    this.map.set(key, { tokens, at: now });
    this.prune(now);
  }

  private prune(now: number): void {
    // The oldest entries have had the longest to refill: drop the ones that are full again. Two per call
    // keep up with any rate of new keys, since each call adds at most one.
    for (let i = 0; i < 2; i++) {
      const first = this.map.entries().next();
      if (first.done || this.level(first.value[1], now) < this.limit.burst) break;
      this.map.delete(first.value[0]);
    }
    while (this.map.size > this.max) {
      const oldest = this.map.keys().next();
      if (oldest.done) break;
      this.map.delete(oldest.value);
    }
  }
}

/** The throttle's part of the configuration. */
export interface LoginThrottleSettings {
  /** See {@link clientAddress}. */
  trustedProxies: number;
}

/**
 * Parse `CHAINBOARD_TRUSTED_PROXIES` (lib/server/config.ts reads the environment): how many trusted
 * proxies stand in front of the one that talks to Chainboard, a whole number from 0 to 9; unset is 0.
 */
export function loginThrottleSettings(env: Record<string, string | undefined>): Parsed<LoginThrottleSettings> {
  const raw = env.CHAINBOARD_TRUSTED_PROXIES?.trim();
  if (!raw) return { ok: true, value: { trustedProxies: 0 } };
  if (!/^[0-9]$/.test(raw)) return { ok: false, error: `CHAINBOARD_TRUSTED_PROXIES must be a whole number from 0 to 9, got "${raw}"` };
  return { ok: true, value: { trustedProxies: Number(raw) } };
}

/** The failed-sign-in throttle of one app. */
export interface LoginThrottle {
  /** The client a request comes from, as this throttle counts clients ({@link clientAddress}). */
  clientOf(headers: Headers): string;
  /**
   * `undefined` when `client` may try a token now; otherwise the whole seconds to wait, for Retry-After.
   * Call it, compare the token and call {@link LoginThrottle.failed} with no `await` in between, so that
   * parallel attempts cannot all pass before the first failure counts.
   */
  retryAfter(client: string): number | undefined;
  /** Count a failed attempt of `client` (a wrong or missing token). Right tokens are never counted. */
  failed(client: string): void;
  /** How many clients are remembered now (bounded by the `maxClients` option). */
  readonly trackedClients: number;
}

export interface LoginThrottleOptions {
  /** The clock, in ms since the epoch (the app's clock; tests pass their own). */
  now?: () => number;
  /** Trusted proxies in front of the one that talks to Chainboard (Traefik alone: 0); {@link clientAddress}. */
  trustedProxies?: number;
  client?: BucketLimit;
  global?: BucketLimit;
  maxClients?: number;
}

/** A throttle with its own memory; one per app, since it is the app's clock that it reads. */
export function createLoginThrottle(options: LoginThrottleOptions = {}): LoginThrottle {
  const now = options.now ?? Date.now;
  const trusted = options.trustedProxies ?? 0;
  const clients = new Buckets(options.client ?? CLIENT_LIMIT, options.maxClients ?? MAX_TRACKED_CLIENTS);
  const everyone = new Buckets(options.global ?? GLOBAL_LIMIT, 1);
  const ALL = '*';
  return {
    clientOf: (headers) => clientAddress(headers.get('x-forwarded-for'), trusted),
    retryAfter(client) {
      const t = now();
      const ms = Math.max(clients.wait(client, t), everyone.wait(ALL, t));
      return ms > 0 ? Math.max(1, Math.ceil(ms / 1000)) : undefined;
    },
    failed(client) {
      const t = now();
      clients.take(client, t);
      everyone.take(ALL, t);
    },
    get trackedClients() {
      return clients.size;
    },
  };
}

/**
 * The client address of a request, from its `X-Forwarded-For` list: the entry `trustedProxies` places
 * from the right end (0: the last entry), or the first entry when the list is shorter.
 *
 * Why this header: a route handler is handed a Fetch `Request` with no socket, and Next puts the socket's
 * peer into `X-Forwarded-For` when the request came without one. Behind Traefik the last entry is the peer
 * Traefik saw: it drops an `X-Forwarded-For` sent by a client it does not trust (entryPoint
 * `forwardedHeaders.trustedIPs`) and writes the peer's address itself, so with the deployment in deploy/
 * the last entry is the client. A load balancer in front of Traefik that Traefik trusts has written the
 * client's address already, and Traefik appends the balancer's: each such proxy adds one entry at the
 * right end, which is what `trustedProxies` skips. Served without a proxy, the header is whatever the client sent, if it sent
 * one; the shared bucket of {@link createLoginThrottle} is what bounds that case.
 *
 * @see https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/X-Forwarded-For
 * @see https://doc.traefik.io/traefik/routing/entrypoints/#forwarded-headers
 */
export function clientAddress(forwardedFor: string | null | undefined, trustedProxies = 0): string {
  const entries = (forwardedFor ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  const entry = entries[Math.max(0, entries.length - 1 - trustedProxies)];
  return (entry !== undefined && normaliseAddress(entry)) || UNKNOWN_CLIENT;
}

/** An address as one key: IPv4 as is, IPv6 as its /64; `undefined` for anything else. */
function normaliseAddress(raw: string): string | undefined {
  // Some proxies write the port too: `203.0.113.7:51234`, `[2001:db8::1]:443`.
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(raw);
  let a = bracketed ? bracketed[1]! : /^[\d.]+:\d+$/.test(raw) ? raw.slice(0, raw.lastIndexOf(':')) : raw;
  a = a.toLowerCase().split('%')[0]!;
  // Node writes IPv4 peers of a dual-stack socket as IPv4-mapped IPv6.
  if (a.startsWith('::ffff:') && isIPv4(a.slice(7))) a = a.slice(7);
  if (isIPv4(a)) return a;
  if (isIPv6(a)) return `${ipv6Groups(a).slice(0, 4).join(':')}::/64`;
  return undefined;
}

/** The eight 16-bit groups of a valid IPv6 address, in lower-case hex without leading zeros. */
function ipv6Groups(a: string): string[] {
  const parts = (s: string) => {
    if (!s) return [];
    const groups = s.split(':');
    const last = groups[groups.length - 1]!;
    // A trailing dotted IPv4 (`::ffff:192.0.2.1`, `64:ff9b::192.0.2.1`) is two groups.
    if (isIPv4(last)) {
      const [w, x, y, z] = last.split('.').map(Number) as [number, number, number, number];
      groups.splice(-1, 1, ((w << 8) | x).toString(16), ((y << 8) | z).toString(16));
    }
    return groups;
  };
  const [head = '', tail] = a.split('::');
  const h = parts(head);
  const t = tail === undefined ? [] : parts(tail);
  const zeros = Array<string>(8 - h.length - t.length).fill('0');
  return [...h, ...zeros, ...t].map((g) => parseInt(g, 16).toString(16));
}

/** The API's answer to a client over the limit: 429 with Retry-After and the API's JSON error body. */
export function tooManyAttemptsResponse(seconds: number): Response {
  const message = `too many failed sign-ins: try again in ${seconds} s`;
  return Response.json({ error: { status: 429, reason: 'TooManyRequests', message } }, { status: 429, headers: { 'retry-after': String(seconds), 'cache-control': 'no-store' } });
}
