/**
 * The discovery part of the demo API server: version, health, and the API groups and resource lists
 * through which kubectl and client-node learn what the cluster serves.
 *
 * @see https://kubernetes.io/docs/concepts/overview/kubernetes-api/#discovery-api
 */
import { noSuchResource, sendJson, sendText, type Handler } from './http';
import { apiGroup, apiGroupList, apiResourceList, apiVersions, versionInfo } from './resources';
import type { Route } from './router';

const ok: Handler = ({ res }) => sendText(res, 200, 'ok');

function resourceList(group: string, version: string, ctx: Parameters<Handler>[0], uninstalled: ReadonlySet<string>): void {
  const list = apiResourceList(group, version, uninstalled);
  if (!list) throw noSuchResource();
  sendJson(ctx.res, 200, list);
}

/**
 * The discovery routes; `address` is the server's `host:port`, which `/api` reports. The `uninstalled`
 * groups are not served, as on a cluster without their CRDs.
 */
export function discoveryRoutes(address: () => string, uninstalled: ReadonlySet<string> = new Set()): Route<Handler>[] {
  return [
    { method: 'GET', pattern: '/version', handler: ({ res }) => sendJson(res, 200, versionInfo()) },
    { method: 'GET', pattern: '/healthz', handler: ok },
    { method: 'GET', pattern: '/readyz', handler: ok },
    { method: 'GET', pattern: '/livez', handler: ok },
    { method: 'GET', pattern: '/api', handler: ({ res }) => sendJson(res, 200, apiVersions(address())) },
    { method: 'GET', pattern: '/apis', handler: ({ res }) => sendJson(res, 200, apiGroupList(uninstalled)) },
    { method: 'GET', pattern: '/api/:version', handler: (ctx) => resourceList('', ctx.params.version!, ctx, uninstalled) },
    {
      method: 'GET',
      pattern: '/apis/:group',
      handler: ({ res, params }) => {
        const g = apiGroup(params.group!, uninstalled);
        if (!g) throw noSuchResource();
        sendJson(res, 200, g);
      },
    },
    { method: 'GET', pattern: '/apis/:group/:version', handler: (ctx) => resourceList(ctx.params.group!, ctx.params.version!, ctx, uninstalled) },
  ];
}
