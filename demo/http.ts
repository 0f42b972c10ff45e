/**
 * HTTP plumbing shared by the demo API server's parts: JSON, text and `Status` answers the way the
 * Kubernetes API server sends them, the request body, the bearer token, and listening on 127.0.0.1.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { ApiError } from './state';

/** What a route handler gets: the exchange, the parsed URL, the segments its pattern captured, the caller's token. */
export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
  token?: string;
}

/** A route handler; a thrown {@link ApiError} becomes a `Status` answer. */
export type Handler = (ctx: RequestContext) => void | Promise<void>;

/** A request body larger than this is refused with 413. */
const BODY_LIMIT = 16 * 1024 * 1024;

/** Listens on 127.0.0.1 and `port` (0: a free one); rejects when the port cannot be had. */
export function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** The bearer token of the `Authorization` header, if any. */
export function bearer(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  const m = h?.match(/^Bearer\s+(.+)$/i);
  return m?.[1];
}

/** The whole request body as UTF-8. */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > BODY_LIMIT) {
        reject(new ApiError(413, 'RequestEntityTooLarge', 'request body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** A `Status` object as the API server returns it for failures. @see https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/status/ */
export function statusBody(e: ApiError) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: e.continueToken ? { continue: e.continueToken } : {},
    status: 'Failure',
    message: e.message,
    reason: e.reason,
    ...(e.details ? { details: e.details } : {}),
    code: e.code,
  };
}

/** Answers with `e` as a `Status` object and its code. */
export function sendStatus(res: ServerResponse, e: ApiError): void {
  sendJson(res, e.code, statusBody(e));
}

/** Answers with `body` as JSON, uncached. */
export function sendJson(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-cache, private' });
  res.end(text);
}

/** Answers with plain text. */
export function sendText(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** The 404 of a path the server does not serve, with an optional reason after the API server's words. */
export function noSuchResource(why?: string): ApiError {
  return new ApiError(404, 'NotFound', `the server could not find the requested resource${why ? ` (${why})` : ''}`);
}
