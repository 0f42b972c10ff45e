import 'server-only';
/**
 * The production server's request listener (bin/chainboard-server.mjs), in order:
 *
 * 1. the fast path (lib/server/fast-path.ts): the read API and the kubelet's probes, answered at once;
 * 2. the preflight (lib/server/preflight.ts): a malformed path's 400, a page's 405, the 400 of a page whose
 *    parameter is not valid;
 * 3. Next's own build assets (`/_next/static/`), straight to Next: files, no rendering;
 * 4. everything else to Next behind the render queue (lib/server/shed.ts), refused with 503 and
 *    Retry-After when a request has waited its longest, or, a second later, when the queue is full; a
 *    page request identical to one already waiting or rendering shares that render instead of queueing
 *    its own (lib/server/coalesce.ts).
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { securityHeaders } from '../auth/headers';
import type { App } from './app';
import { createCoalescer, type Coalescer } from './coalesce';
import { answer, pathOf, webRequest, type NodeHandler } from './node-http';
import { isApiPath, PAGE_METHODS, preflight } from './preflight';
import { apiRoute } from './route';
import { createRenderQueue, type RenderQueue, type RenderQueueSettings, type ShedReason } from './shed';

/** Next's request handler (`app.getRequestHandler()`). */
export type NextHandler = (req: IncomingMessage, res: ServerResponse) => unknown;

/** What the listener is built from: the app, its fast path, Next's handler and the queue's limits. */
export interface FrontOptions {
  app: () => App;
  fastPath: NodeHandler;
  next: NextHandler;
  queue: RenderQueueSettings;
}

/** The listener, and its queue, coalescer and settings for tests and the server's start-up line. */
export type Front = RequestListener & { readonly queue: RenderQueue; readonly coalescer: Coalescer; readonly settings: RenderQueueSettings };

/** Seconds a refused client is asked to wait; the API's own 503 before the first sync says the same. */
const RETRY_AFTER_S = 2;
/**
 * How long the refusal of a request that finds the queue full is held back. A client that comes straight
 * back (a script, a retrying proxy, a load generator) would otherwise make refusing its requests the
 * server's main work and starve the renders and the probes; held back, each of its connections costs at
 * most one cheap refusal a second, and a person waiting for a page hardly notices.
 */
const FULL_REFUSAL_DELAY_MS = 1_000;

/**
 * The `Server-Timing` entry of a request that went through the queue: how long it waited for its turn,
 * for the browser's developer tools, a proxy's logs and bench/overload.ts.
 * @see https://www.w3.org/TR/server-timing/
 */
function queueTiming(waitedMs: number): string {
  return `queue;dur=${Math.round(waitedMs)};desc="waited for a turn to render"`;
}

const SHED_MESSAGE: Record<ShedReason, string> = {
  full: 'too many requests are waiting for the server',
  waited: 'the request waited too long for the server',
};

/**
 * Make a 200 that Next writes into `status`; any other status it chooses stands. Every way a head goes
 * out (`writeHead`, or the implicit head of the first write) passes through the instance's `writeHead`,
 * which is also what Next's compression wraps, so this sees the final status.
 */
function statusInstead(res: ServerResponse, status: number): void {
  const writeHead = res.writeHead;
  res.writeHead = function (this: ServerResponse, code: number, ...rest: unknown[]) {
    if (code !== 200) return Reflect.apply(writeHead, this, [code, ...rest]);
    // A reason phrase of 200 ("OK") would be wrong for the new status; Node supplies the right one.
    return Reflect.apply(writeHead, this, [status, ...(typeof rest[0] === 'string' ? rest.slice(1) : rest)]);
  } as ServerResponse['writeHead'];
}

/** An answer the server gives itself: status, the API's error `reason`, a message, extra headers. */
interface ErrorSpec {
  status: 400 | 405 | 503;
  reason: 'BadRequest' | 'MethodNotAllowed' | 'Overloaded';
  /** Fixed text of this module and the preflight, never from the request: pages show it as it is. */
  message: string;
  headers?: Record<string, string>;
}

/** The API's error shape (lib/api/http.ts): `{ error: { status, reason, message } }`, never cached. */
function apiErrorResponse({ status, reason, message, headers }: ErrorSpec): Response {
  return new Response(JSON.stringify({ error: { status, reason, message } }), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}

const PAGE_TITLE: Record<ErrorSpec['status'], string> = { 400: 'Bad request', 405: 'Method not allowed', 503: 'Chainboard is busy' };

/**
 * Answer a page request the server refuses itself with a small page (no script, so the API's CSP fits).
 * Written synchronously from ready strings: under overload this is what most requests get, and it must
 * cost next to nothing.
 */
function refusePage(req: IncomingMessage, res: ServerResponse, { status, message, headers }: ErrorSpec, pathname: string): void {
  const title = PAGE_TITLE[status];
  const html =
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">' +
    `<meta name="robots" content="noindex"><title>${title} - Chainboard</title></head>` +
    `<body><main><h1>${title}</h1><p>${message}.</p><p>${status}</p></main></body></html>`;
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(html),
    ...headers,
    ...securityHeaders({ pathname }),
  });
  res.end(req.method === 'HEAD' ? undefined : html);
}

/** Build the listener. */
export function createFront({ app, fastPath, next, queue: settings }: FrontOptions): Front {
  const queue = createRenderQueue(settings);
  // The API's errors come through apiRoute, like every API answer: its auth and security headers.
  const apiError = apiRoute('/api', (_request, _app, error: ErrorSpec) => apiErrorResponse(error), { app, instrument: false });

  const refuse = (req: IncomingMessage, res: ServerResponse, error: ErrorSpec) => {
    const target = req.url ?? '/';
    const pathname = pathOf(target);
    if (isApiPath(pathname)) answer(req, res, apiError(webRequest(req, target), error));
    else refusePage(req, res, error, pathname);
  };

  const toNext = (req: IncomingMessage, res: ServerResponse, done: () => void) => {
    res.once('close', done);
    // Next answers its own failures; one that escapes it still ends the response, which gives the turn back.
    new Promise((resolve) => resolve(next(req, res))).catch((e: unknown) => {
      console.error('chainboard: Next failed to answer:', e);
      if (res.headersSent) res.destroy();
      else res.writeHead(500).end();
    });
  };

  const listener: RequestListener = (req, res) => {
    if (fastPath(req, res)) return;
    const verdict = preflight(req.method ?? 'GET', req.url ?? '/');
    if (verdict.action === 'refuse') {
      const { status, message } = verdict;
      refuse(req, res, status === 405 ? { status, reason: 'MethodNotAllowed', message, headers: { allow: PAGE_METHODS } } : { status, reason: 'BadRequest', message });
      return;
    }
    if (verdict.target !== undefined) req.url = verdict.target;
    if (verdict.status !== undefined) statusInstead(res, verdict.status);
    if (pathOf(req.url ?? '/').startsWith('/_next/static/')) {
      toNext(req, res, () => {});
      return;
    }
    render(req, res);
  };

  /** A page or API route for Next: shares an identical render in flight, else takes its turn in the queue. */
  const render = (req: IncomingMessage, res: ServerResponse) => {
    // Pages only: an API route outside the fast path may have effects (sign-in), and is cheap anyway.
    const page = !isApiPath(pathOf(req.url ?? '/'));
    if (page && coalescer.follow(req, res)) return;
    const leader = page ? coalescer.lead(req, res) : undefined;
    const overloaded = (reason: ShedReason, waitedMs: number) => {
      const headers = { 'retry-after': String(RETRY_AFTER_S), 'server-timing': queueTiming(waitedMs) };
      const error: ErrorSpec = { status: 503, reason: 'Overloaded', message: SHED_MESSAGE[reason], headers };
      // The requests that waited for this one's render are refused with it: they queued no turn of their own.
      leader?.refuse((f) => refuse(f.req, f.res, error));
      if (res.destroyed) return;
      refuse(req, res, error);
    };
    const withdraw = queue.submit({
      start: (done, waitedMs) => {
        res.setHeader('server-timing', queueTiming(waitedMs));
        toNext(req, res, done);
      },
      shed: (reason, waitedMs) => {
        if (reason === 'waited') return overloaded(reason, waitedMs);
        const held = setTimeout(overloaded, FULL_REFUSAL_DELAY_MS, reason, waitedMs);
        res.once('close', () => clearTimeout(held));
      },
    });
    // A client that leaves while it waits gives its place up (its followers then render for themselves).
    res.once('close', withdraw);
  };
  const coalescer = createCoalescer({ redispatch: render });
  return Object.assign(listener, { queue, coalescer, settings });
}
