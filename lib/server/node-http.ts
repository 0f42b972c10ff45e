import 'server-only';
/**
 * Between Node's `http` request/response and the Web `Request`/`Response` the app's handlers speak: what
 * the production server's own answers (lib/server/fast-path.ts, lib/server/front.ts) are built with.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzip } from 'node:zlib';

/** Node's request and response; `true` when this handler answers the request. */
export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

/** Bodies from this size on are gzipped for clients that accept it (as Next's own compression does). */
const GZIP_MIN_BYTES = 1024;
/** The origin of the Web Requests built here: fixed, never the client's Host header. The server speaks HTTP. */
const ORIGIN = 'http://chainboard.local';

/** The path of an origin-form request target (`/path?query`), without its query. */
export function pathOf(target: string): string {
  const q = target.indexOf('?');
  return q < 0 ? target : target.slice(0, q);
}

/** A Web Request for Node's request, at `target` (origin-form) under a fixed origin. */
export function webRequest(req: IncomingMessage, target: string): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name.startsWith(':')) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.set(name, value);
  }
  return new Request(`${ORIGIN}${target}`, { method: req.method, headers });
}

function acceptsGzip(req: IncomingMessage): boolean {
  const ae = req.headers['accept-encoding'];
  if (typeof ae !== 'string') return false;
  // gzip, unless it is explicitly refused with q=0.
  return ae.split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (coding !== 'gzip' && coding !== '*') return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

function gzipped(body: Buffer): Promise<Buffer> {
  // zlib's async API compresses on libuv's thread pool, off the event loop.
  return new Promise((resolve, reject) => gzip(body, (e, out) => (e ? reject(e) : resolve(out))));
}

/** Write a Web Response to Node's response: status, headers (cookies kept apart), body gzipped when it pays. */
export async function send(req: IncomingMessage, res: ServerResponse, response: Response): Promise<void> {
  let body: Buffer = Buffer.from(await response.arrayBuffer());
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const setCookies = response.headers.getSetCookie();
  if (setCookies.length > 0) headers['set-cookie'] = setCookies;
  if (body.length >= GZIP_MIN_BYTES && !headers['content-encoding']) {
    headers.vary = headers.vary ? `${headers.vary}, Accept-Encoding` : 'Accept-Encoding';
    if (acceptsGzip(req)) {
      body = await gzipped(body);
      headers['content-encoding'] = 'gzip';
    }
  }
  headers['content-length'] = String(body.length);
  res.writeHead(response.status, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** The answer when building or writing a response threw: a 500 JSON error, or a cut connection once headers are out. */
export function fail(res: ServerResponse, e: unknown): void {
  console.error('chainboard: production server:', e);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ error: { status: 500, reason: 'InternalError', message: 'the server failed to answer; see its log' } });
  res.writeHead(500, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** Answer with `response` (a promise of one), turning any failure into {@link fail}. */
export function answer(req: IncomingMessage, res: ServerResponse, response: Promise<Response>): void {
  response.then(
    (r) => send(req, res, r).catch((e: unknown) => fail(res, e)),
    (e: unknown) => fail(res, e),
  );
}
