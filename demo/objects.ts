/**
 * The object part of the demo API server: GET of one object, LIST and WATCH of a kind, cluster-wide or in
 * one namespace, under `/api/{version}` (the core group) and `/apis/{group}/{version}`, each authorized
 * by the access policy first.
 *
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-uris
 */
import type { ListHolds } from './holds';
import { noSuchResource, sendJson, type Handler, type RequestContext } from './http';
import { flag, parseScope, serveList, serveWatch } from './list-watch';
import type { AccessPolicy, Verb } from './policy';
import { RESOURCES } from './resources';
import type { Route } from './router';
import { notFound, type ClusterState } from './state';

/** What the object routes read from and answer with. */
export interface ObjectRoutesOptions {
  state: ClusterState;
  policy: AccessPolicy;
  holds: ListHolds;
  maxPageSize?: number;
  bookmarkMs: number;
  /** API groups served as if their CRDs were not installed: every path of theirs is a 404. */
  uninstalled?: ReadonlySet<string>;
}

/** The object routes: subresources refused first, then namespaced and cluster-scope paths. */
export function objectRoutes(opts: ObjectRoutesOptions): Route<Handler>[] {
  const { state, policy } = opts;

  async function serve(ctx: RequestContext): Promise<void> {
    const { params, url, req, res, token } = ctx;
    const group = params.group ?? '';
    const { namespace, name } = params;
    const resource = opts.uninstalled?.has(group) ? undefined : RESOURCES.find((r) => r.group === group && r.version === params.version && r.plural === params.plural);
    if (!resource || (namespace !== undefined && !resource.namespaced)) throw noSuchResource();
    if (name !== undefined && resource.namespaced && namespace === undefined) throw noSuchResource();
    const q = url.searchParams;
    const verb: Verb = name !== undefined ? 'get' : flag(q, 'watch') ? 'watch' : 'list';
    policy.authorize({ token, verb, resource, namespace, name });

    if (name !== undefined) {
      const o = state.get(resource, namespace, name);
      if (!o) throw notFound(resource, name);
      return sendJson(res, 200, o);
    }
    const scope = parseScope(resource, namespace, q);
    if (verb === 'list') return serveList(res, scope, q, token, opts);
    serveWatch(req, res, scope, q, opts);
  }

  const subresource: Handler = () => {
    throw noSuchResource('subresources are not served by the demo cluster');
  };
  return ['/api/:version', '/apis/:group/:version'].flatMap((prefix) => [
    { method: 'GET', pattern: `${prefix}/namespaces/:namespace/:plural/:name/*`, handler: subresource },
    { method: 'GET', pattern: `${prefix}/namespaces/:namespace/:plural/:name`, handler: serve },
    { method: 'GET', pattern: `${prefix}/namespaces/:namespace/:plural`, handler: serve },
    { method: 'GET', pattern: `${prefix}/:plural/:name`, handler: serve },
    { method: 'GET', pattern: `${prefix}/:plural`, handler: serve },
  ]);
}
