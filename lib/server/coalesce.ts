import 'server-only';
/**
 * Collapsed rendering: page requests that are identical to one Next is already rendering wait for that
 * render and get its answer, instead of each taking a turn of their own (what Varnish calls request
 * coalescing and nginx `proxy_cache_lock`).
 *
 * Why: a page render is ~15 ms of the one JavaScript thread, and the render queue (lib/server/shed.ts)
 * takes them one at a time. Twenty wall screens or a team opening the same incident link at once would
 * each wait for the nineteen renders before theirs (~300 ms), for twenty copies of the same page drawn
 * from the same snapshot. Collapsed, they get it in one render's time, and the renders saved leave the
 * thread to the probes and the API. No answer is kept after its render: nothing here is a cache, and a
 * follower's page is at most one render older than its request.
 *
 * What makes two requests identical is everything that can change the page: the method and target, and
 * each request header a page, the proxy (auth, share links, CSP) or Next's router reads (`KEY_HEADERS`).
 * Conditional and range requests are not collapsed. An answer is shared only when it is whole (the leader's
 * response finished) and sets no cookie; otherwise each follower is handed on to render for itself.
 *
 * Each follower gets a CSP nonce of its own: the leader's nonce is replaced in the policy header and in the
 * body, decoding and encoding the body again (off the event loop) when Next compressed it.
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import { createNonce } from '../auth/headers';

/**
 * The request headers that can change a page's answer. Next's router varies on its own headers
 * (RSC, Next-Router-*, Next-Url), on Accept-Encoding (compression) and User-Agent; the proxy reads Authorization,
 * the session cookie, Sec-Fetch-Site and the forwarded protocol; Host and the forwarded host make absolute
 * URLs. Any other header is not read while rendering a page.
 */
const KEY_HEADERS = [
  'host',
  // Next renders a page's metadata differently for crawlers, which it knows by their User-Agent.
  'user-agent',
  'accept',
  'accept-encoding',
  'authorization',
  'cookie',
  'rsc',
  'next-router-state-tree',
  'next-router-prefetch',
  'next-router-segment-prefetch',
  'next-url',
  'sec-fetch-site',
  'sec-fetch-mode',
  'sec-fetch-dest',
  'x-forwarded-proto',
  'x-forwarded-host',
] as const;

/** Requests whose answer depends on what the client already holds, or is a part of the whole. */
const NOT_COLLAPSED_HEADERS = ['if-none-match', 'if-modified-since', 'if-match', 'if-unmodified-since', 'if-range', 'range'] as const;

/** The key of a request that may be collapsed with identical ones, or undefined when it may not. */
export function collapseKey(req: IncomingMessage): string | undefined {
  if (req.method !== 'GET') return undefined;
  for (const h of NOT_COLLAPSED_HEADERS) if (req.headers[h] !== undefined) return undefined;
  const parts = [req.url ?? '/'];
  for (const h of KEY_HEADERS) {
    const v = req.headers[h];
    parts.push(v === undefined ? '' : Array.isArray(v) ? v.join('\n') : v);
  }
  // NUL cannot occur in a header value or a request target (Node refuses them), so keys cannot run together.
  return parts.join('\0');
}

/** A recorded answer: status, headers as sent, body bytes as sent (compressed if Next compressed it). */
export interface Recorded {
  status: number;
  headers: OutgoingHttpHeaders;
  body: Buffer;
}

/**
 * Record what is written to `res` (status, headers and body bytes) without changing it; `done` is called
 * once, with the recording when the response finished whole, or undefined when it did not.
 */
export function record(res: ServerResponse, done: (recorded: Recorded | undefined) => void): void {
  const chunks: Buffer[] = [];
  let headArgs: OutgoingHttpHeaders = {};
  const writeHead = res.writeHead;
  res.writeHead = function (this: ServerResponse, code: number, ...rest: unknown[]) {
    const h = rest.find((r) => typeof r === 'object' && r !== null);
    if (Array.isArray(h)) {
      // The flat [name, value, name, value] form.
      for (let i = 0; i + 1 < h.length; i += 2) headArgs[String(h[i]).toLowerCase()] = h[i + 1] as string;
    } else if (h) {
      for (const [name, value] of Object.entries(h as OutgoingHttpHeaders)) headArgs[name.toLowerCase()] = value;
    }
    return Reflect.apply(writeHead, this, [code, ...rest]);
  } as ServerResponse['writeHead'];
  const keep = (chunk: unknown, encoding: unknown) => {
    if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
    if (typeof chunk === 'string') chunks.push(Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8'));
    else if (chunk instanceof Uint8Array) chunks.push(Buffer.from(chunk));
  };
  const write = res.write;
  res.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
    keep(chunk, rest[0]);
    return Reflect.apply(write, this, [chunk, ...rest]);
  } as ServerResponse['write'];
  const end = res.end;
  res.end = function (this: ServerResponse, ...args: unknown[]) {
    keep(args[0], args[1]);
    return Reflect.apply(end, this, args);
  } as ServerResponse['end'];

  let over = false;
  res.once('finish', () => {
    if (over) return;
    over = true;
    done({ status: res.statusCode, headers: { ...res.getHeaders(), ...headArgs }, body: Buffer.concat(chunks) });
  });
  res.once('close', () => {
    if (over) return;
    over = true;
    done(undefined);
  });
}

const NONCE_IN_POLICY = /'nonce-([A-Za-z0-9+/=]+)'/;

type Coding = { decode: (b: Buffer) => Promise<Buffer>; encode: (b: Buffer) => Promise<Buffer> };
const CODINGS: Record<string, Coding> = {
  gzip: { decode: promisify(zlib.gunzip), encode: promisify(zlib.gzip) },
  deflate: { decode: promisify(zlib.inflate), encode: promisify(zlib.deflate) },
  // Quality 5: near gzip's speed with a smaller result; 11 (the default) costs far more than a render.
  br: {
    decode: promisify(zlib.brotliDecompress),
    encode: (b) => promisify(zlib.brotliCompress)(b, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } }),
  },
};

/** Headers that belong to one response on one connection, not to the answer. */
const PER_RESPONSE_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'date', 'server-timing']);

/**
 * The leader's answer made into one follower's: a fresh nonce in the policy and the body, the body encoded
 * as the leader's was. Undefined when it cannot be shared (a cookie set, an unknown content coding).
 */
export async function forFollower(answer: Recorded, plain: Promise<Buffer> | undefined): Promise<Recorded | undefined> {
  if (answer.headers['set-cookie'] !== undefined) return undefined;
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(answer.headers)) if (!PER_RESPONSE_HEADERS.has(name) && value !== undefined) headers[name] = value;
  const policy = headers['content-security-policy'];
  const old = typeof policy === 'string' ? NONCE_IN_POLICY.exec(policy)?.[1] : undefined;
  if (old === undefined) return { status: answer.status, headers, body: answer.body };
  const coding = typeof headers['content-encoding'] === 'string' ? headers['content-encoding'].trim().toLowerCase() : '';
  const codec = coding ? CODINGS[coding] : undefined;
  if (coding && !codec) return undefined;
  const nonce = createNonce();
  // The policy names the nonce, and so does the Link header Next preloads its scripts with.
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value === 'string') headers[name] = value.split(old).join(nonce);
    else if (Array.isArray(value)) headers[name] = value.map((v) => v.split(old).join(nonce));
  }
  const text = plain ? await plain : answer.body;
  const replaced = replaceAll(text, Buffer.from(old), Buffer.from(nonce));
  return { status: answer.status, headers, body: codec ? await codec.encode(replaced) : replaced };
}

/** `body` with every `from` replaced by `to` (same length: a nonce's), found and copied natively. */
function replaceAll(body: Buffer, from: Buffer, to: Buffer): Buffer {
  let at = body.indexOf(from);
  if (at < 0) return body;
  const out = Buffer.from(body);
  for (; at >= 0; at = body.indexOf(from, at + from.length)) {
    if (to.length === from.length) to.copy(out, at);
    else return Buffer.from(body.toString('latin1').split(from.toString('latin1')).join(to.toString('latin1')), 'latin1');
  }
  return out;
}

/** The body of a recording without its content coding (once per render, shared by its followers). */
export function plainBody(answer: Recorded): Promise<Buffer> | undefined {
  const coding = typeof answer.headers['content-encoding'] === 'string' ? answer.headers['content-encoding'].trim().toLowerCase() : '';
  if (!coding) return undefined;
  const codec = CODINGS[coding];
  return codec ? codec.decode(answer.body) : undefined;
}

/** A request waiting for the render of an identical one. */
export interface Follower {
  req: IncomingMessage;
  res: ServerResponse;
  since: number;
}

/** The leader of a render: what to do with its followers if it is refused before rendering. */
export interface Leader {
  /** Hand every follower the leader's refusal (each its own answer, written by `answer`). */
  refuse(answer: (f: Follower) => void): void;
}

export interface Coalescer {
  /**
   * Join the render of an identical request in flight: true when `req` now follows one and is answered
   * by it, false when it must be handled on its own.
   */
  follow(req: IncomingMessage, res: ServerResponse): boolean;
  /**
   * Make `res` the leader of the requests identical to `req` that come while it waits and renders;
   * undefined when `req` may not be collapsed.
   */
  lead(req: IncomingMessage, res: ServerResponse): Leader | undefined;
  /** Renders in flight, answers shared, followers handed on to render for themselves. */
  stats(): { inFlight: number; shared: number; handedOn: number };
}

export interface CoalescerOptions {
  /** Handle a follower the leader's answer cannot serve (not whole, a cookie set) as if it had just come. */
  redispatch: (req: IncomingMessage, res: ServerResponse) => void;
  now?: () => number;
}

/** A coalescer. Leaders are recorded; when one finishes, each follower gets its answer or is handed on. */
export function createCoalescer({ redispatch, now = () => performance.now() }: CoalescerOptions): Coalescer {
  const flights = new Map<string, Set<Follower>>();
  let shared = 0;
  let handedOn = 0;

  const answerFollower = (f: Follower, a: Recorded | undefined) => {
    if (f.res.destroyed || f.res.writableEnded) return;
    if (!a) {
      handedOn++;
      redispatch(f.req, f.res);
      return;
    }
    shared++;
    const waited = Math.round(now() - f.since);
    f.res.writeHead(a.status, {
      ...a.headers,
      'content-length': a.body.length,
      'server-timing': `coalesced;dur=${waited};desc="shared the render of an identical request"`,
    });
    f.res.end(a.body);
  };

  return {
    follow(req, res) {
      const key = collapseKey(req);
      const followers = key === undefined ? undefined : flights.get(key);
      if (!followers) return false;
      const f: Follower = { req, res, since: now() };
      followers.add(f);
      // A follower that leaves gives its place up.
      res.once('close', () => followers.delete(f));
      return true;
    },
    lead(req, res) {
      const key = collapseKey(req);
      if (key === undefined || flights.has(key)) return undefined;
      const followers = new Set<Follower>();
      flights.set(key, followers);
      let settled = false;
      const settle = () => {
        settled = true;
        if (flights.get(key) === followers) flights.delete(key);
      };
      record(res, (answer) => {
        if (settled) return;
        settle();
        if (followers.size === 0) return;
        const plain = answer ? plainBody(answer) : undefined;
        // A body that does not decode leaves every follower to render for itself.
        plain?.catch(() => undefined);
        void (async () => {
          for (const f of followers) {
            const a = answer ? await forFollower(answer, plain).catch(() => undefined) : undefined;
            answerFollower(f, a);
            // One follower per turn of the event loop: two hundred copies made in one go would hold the
            // thread for tens of milliseconds, and the kubelet's probes and the read API wait behind them.
            await new Promise((r) => setImmediate(r));
          }
        })();
      });
      return {
        refuse(answer) {
          if (settled) return;
          settle();
          for (const f of followers) if (!f.res.destroyed && !f.res.writableEnded) answer(f);
        },
      };
    },
    stats: () => ({ inFlight: flights.size, shared, handedOn }),
  };
}
