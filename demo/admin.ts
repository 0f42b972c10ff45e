/**
 * The demo cluster's admin endpoint under `/demo/v1/`, a path the real API does not use: what another
 * process (an e2e spec, a second dashboard) needs to change the cluster and its behaviour. Objects are
 * applied, patched and deleted; 403 rules added and removed; lists held; the API server taken away for a
 * while; its watch streams frozen and thawed; its state kept and restored as an etcd snapshot is; the
 * timeline stepped, started and stopped; and a kubeconfig handed out per token, so a second client can
 * be singled out by the rules and holds.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ListHolds } from './holds';
import { readBody, sendJson, sendText, type RequestContext } from './http';
import { parseRawObjects } from './load';
import type { AccessPolicy, ForbidRule } from './policy';
import { RESOURCES, type KubeObject } from './resources';
import { Router, type Route } from './router';
import type { DemoServer } from './server';
import { ApiError, notFound } from './state';
import type { Timeline } from './timeline';

/** Where the admin paths begin. */
export const ADMIN_PREFIX = '/demo/v1/';

/** What the admin actions act on. */
export interface AdminOptions {
  server: DemoServer;
  policy: AccessPolicy;
  holds: ListHolds;
  /** The timeline, made (stopped) when the server runs without one. */
  ensureTimeline: () => Timeline;
}

/** An admin action; `body` is the request body (empty for GET). */
type AdminHandler = (ctx: RequestContext, body: string) => void | Promise<void>;

const refOf = (o: KubeObject) => ({ kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name, resourceVersion: o.metadata.resourceVersion });

function json(text: string): Record<string, unknown> {
  try {
    return (text.trim() ? JSON.parse(text) : {}) as Record<string, unknown>;
  } catch {
    throw new ApiError(400, 'BadRequest', 'body is not JSON');
  }
}

/** An object reference `{kind, namespace?, name}` from the body, with the rest of the body. */
function objectRef(text: string) {
  const b = json(text);
  if (typeof b.kind !== 'string' || typeof b.name !== 'string') throw new ApiError(400, 'BadRequest', 'need {kind, namespace?, name}');
  return { kind: b.kind, namespace: typeof b.namespace === 'string' ? b.namespace : undefined, name: b.name, body: b };
}

/** A duration for `hold-lists`, `outage` and `freeze-watches`: bounded, so a test that dies mid-way cannot leave the cluster broken. */
function boundedSeconds(value: unknown, fallback: number, max = 60): number {
  const seconds = Number(value ?? fallback);
  if (!Number.isFinite(seconds) || seconds < 1 || seconds > max) throw new ApiError(400, 'BadRequest', `seconds must be 1 to ${max}`);
  return seconds;
}

function adminRoutes({ server, policy, holds, ensureTimeline }: AdminOptions): Route<AdminHandler>[] {
  const { state } = server;
  const post = (pattern: string, handler: AdminHandler): Route<AdminHandler> => ({ method: 'POST', pattern, handler });
  return [
    {
      method: 'GET',
      pattern: 'state',
      handler: ({ res }) => {
        const counts = Object.fromEntries(RESOURCES.map((r) => [r.kind, state.all(r.kind).length]));
        sendJson(res, 200, {
          resourceVersion: state.resourceVersion,
          counts,
          watches: state.watchCount,
          watchesFrozen: state.watches.frozen,
          timeline: server.timeline?.status(),
          listHolds: holds.list(),
        });
      },
    },
    {
      method: 'GET',
      pattern: 'kubeconfig',
      // For a second client started by another process (an e2e spec's own dashboard): its own token, so
      // forbid rules and list holds can single it out.
      handler: ({ res, url }) => sendText(res, 200, server.kubeconfig({ token: url.searchParams.get('token') ?? undefined, namespace: url.searchParams.get('namespace') ?? undefined })),
    },
    post('apply', ({ res }, text) => {
      const parsed = parseRawObjects(text, 'request body');
      if (parsed.errors.length) throw new ApiError(400, 'BadRequest', parsed.errors.map((e) => e.message).join('; '));
      sendJson(res, 200, { applied: server.apply(parsed.objects).map(refOf) });
    }),
    post('delete', ({ res }, text) => {
      const r = objectRef(text);
      const gone = server.remove(r.kind, r.namespace, r.name);
      if (!gone) throw notFound(state.resource(r.kind), r.name);
      sendJson(res, 200, { deleted: refOf(gone) });
    }),
    post('patch', ({ res }, text) => {
      const r = objectRef(text);
      if (typeof r.body.patch !== 'object' || r.body.patch === null) throw new ApiError(400, 'BadRequest', 'need {kind, namespace?, name, patch}');
      sendJson(res, 200, { patched: refOf(server.patch(r.kind, r.namespace, r.name, r.body.patch as Record<string, unknown>)) });
    }),
    post('forbid', ({ res }, text) => {
      server.forbid(json(text) as ForbidRule);
      sendJson(res, 200, { rules: policy.size });
    }),
    post('allow', ({ res }) => {
      server.allowAll();
      sendJson(res, 200, { rules: 0 });
    }),
    post('compact', ({ res }) => {
      server.compact();
      sendJson(res, 200, { resourceVersion: state.resourceVersion });
    }),
    // As `etcdctl snapshot save`: the state `reset` goes back to (the start state until this is called).
    post('snapshot', ({ res }) => sendJson(res, 200, { resourceVersion: server.snapshot() })),
    // As an etcd restore from that snapshot: objects and resourceVersions go back, open watches end.
    post('reset', ({ res }) => {
      const { from, to } = server.reset();
      sendJson(res, 200, { resourceVersion: to, previousResourceVersion: from });
    }),
    // Watch streams stay open but carry nothing (a stalled connection) until unfrozen or `seconds` pass;
    // `openOnly`: only the streams open now, so a new watch works.
    post('freeze-watches', ({ res }, text) => {
      const b = json(text);
      const seconds = boundedSeconds(b.seconds, 300, 900);
      if (b.openOnly !== undefined && typeof b.openOnly !== 'boolean') throw new ApiError(400, 'BadRequest', 'openOnly must be true or false');
      const openOnly = b.openOnly === true;
      sendJson(res, 202, { frozenForSeconds: seconds, openOnly, watches: server.freezeWatches(seconds, { openOnly }) });
    }),
    post('unfreeze-watches', ({ res }) => {
      server.unfreezeWatches();
      sendJson(res, 200, { watches: state.watchCount });
    }),
    post('timeline/step', ({ res }) => {
      const timeline = ensureTimeline();
      timeline.step();
      sendJson(res, 200, timeline.status());
    }),
    post('timeline/start', ({ res }) => {
      const timeline = ensureTimeline();
      timeline.start();
      sendJson(res, 200, timeline.status());
    }),
    post('timeline/stop', ({ res }) => {
      server.timeline?.stop();
      sendJson(res, 200, server.timeline?.status() ?? {});
    }),
    post('hold-lists', ({ res }, text) => {
      const b = json(text);
      const seconds = boundedSeconds(b.seconds, 10);
      if (b.token !== undefined && typeof b.token !== 'string') throw new ApiError(400, 'BadRequest', 'token must be a string');
      server.holdLists(seconds, { token: b.token });
      sendJson(res, 202, { holdForSeconds: seconds, ...(b.token !== undefined ? { token: b.token } : {}) });
    }),
    post('release-lists', ({ res }) => {
      server.releaseLists();
      sendJson(res, 200, { listHolds: 0 });
    }),
    // The API server goes away (every connection cut, as when it restarts) and comes back after `seconds`
    // on the same port with its data: clients must show stale data, then recover.
    post('outage', ({ res }, text) => {
      const seconds = boundedSeconds(json(text).seconds, 5);
      sendJson(res, 202, { downForSeconds: seconds });
      res.once('finish', () => {
        void server.stop().then(() => {
          const t = setTimeout(() => void server.restart(), seconds * 1000);
          t.unref();
        });
      });
    }),
  ];
}

/**
 * The admin endpoint's request handler. A POST's body is read before the action is looked up; an unknown
 * action is a 404 for a POST and a 405 for any other method, since every action but `state` and
 * `kubeconfig` is a POST.
 */
export function adminHandler(opts: AdminOptions): (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void> {
  const router = new Router(adminRoutes(opts));
  return async (req, res, url) => {
    const action = url.pathname.slice(ADMIN_PREFIX.length).replace(/\/+$/, '');
    const method = req.method ?? 'GET';
    const body = method === 'POST' ? await readBody(req) : '';
    const match = router.match(method, action.split('/'));
    if (match.kind !== 'found') {
      if (method !== 'POST') throw new ApiError(405, 'MethodNotAllowed', 'use POST');
      throw new ApiError(404, 'NotFound', `unknown demo action "${action}"`);
    }
    await match.handler({ req, res, url, params: match.params }, body);
  };
}
