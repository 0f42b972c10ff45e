/**
 * Traefik rules: what Traefik itself makes of a route (its router, service, servers and entrypoints, read
 * from its API) and whether the Middlewares an Ingress names exist. The names are Traefik's own (see
 * lib/model/traefik.ts): a router `<namespace>-<ingress>-<host><path>@kubernetes`, normalised, and a
 * Middleware `<namespace>-<name>@kubernetescrd`.
 * @see https://doc.traefik.io/traefik/reference/routing-configuration/kubernetes/ingress/
 */
import type { SlimIngress, SlimTraefikIngressRoute } from '../../model/k8s';
import {
  CRD_PROVIDER,
  crdMiddlewareName,
  traefikNormalize,
  type TraefikEntryPoint,
  type TraefikRouter,
  type TraefikService,
} from '../../model/traefik';
import { kubectl, type NsContext } from '../context';
import type { MiddlewareIndex } from '../steps/traefik-index';
import { kubectlResource, routeKindOf, routeObjectName } from '../route-kind';
import type { Rule } from './types';

export const TRAEFIK_MIDDLEWARES = 'traefik.ingress.kubernetes.io/router.middlewares';

/** One route of an Ingress and the router Traefik has (or lacks) for it. */
export interface RouterSubject {
  ingress: SlimIngress;
  host: string;
  path: string;
  /** The router name Traefik gives this route. */
  expected: string;
  /** The configured API base URL, for the hint. */
  api: string;
  router?: TraefikRouter;
  /** The router's service, when Traefik has it. */
  service?: TraefikService;
  /** Traefik's entrypoints; `undefined` when `/api/entrypoints` was not read. */
  entryPoints?: TraefikEntryPoint[];
  /** Why the Ingress asks for HTTPS on this host (spec.tls, router.tls, a cert resolver); empty: it does not. */
  tlsReasons: string[];
  /** Ready endpoints of the route's Service port, when it resolved. */
  readyEndpoints?: number;
}

const routerHint = (s: RouterSubject, name: string) => `curl -s ${s.api.replace(/\/+$/, '')}/api/http/routers/${encodeURIComponent(name)}`;
const where = (s: RouterSubject) => `${s.host === '*' ? '' : s.host}${s.path === '*' ? ' (default backend)' : s.path}`;

/** The entrypoints a router is really on: `using`, else its configured ones. */
export const routerEntryPoints = (r: TraefikRouter): string[] => (r.using?.length ? r.using : (r.entryPoints ?? []));

/**
 * Does an entrypoint face HTTPS clients? One that terminates TLS itself (`http.tls`), or, by the
 * conventions of Traefik's Helm chart, `websecure` or one listening on 443 or 8443.
 */
export const httpsFacing = (e: TraefikEntryPoint) => e.tls || e.name === 'websecure' || /:(443|8443)(\/|$)/.test(e.address ?? '');

/**
 * Does the router answer HTTPS clients, plain-HTTP clients, or both? HTTPS: on an HTTPS-facing
 * entrypoint, with TLS of its own or from the entrypoint. Plain HTTP: on another entrypoint, without TLS
 * of its own (a router with `tls` on `web` speaks TLS on the plain-HTTP port, which no client asks for).
 * `undefined` when an entrypoint it is on is unknown. Without the entrypoint list, `websecure` is taken
 * as the HTTPS one and every other as plain.
 */
export function routerSchemes(r: TraefikRouter, eps: readonly TraefikEntryPoint[] | undefined): { https: boolean; http: boolean } | undefined {
  const names = routerEntryPoints(r);
  const on = names.map((n) => (eps ? eps.find((e) => e.name === n) : { name: n, tls: false }));
  if (on.length === 0 || on.some((e) => e === undefined)) return undefined;
  const list = on as TraefikEntryPoint[];
  return {
    https: list.some((e) => httpsFacing(e) && (!!r.tls || e.tls)),
    http: list.some((e) => !httpsFacing(e) && !r.tls),
  };
}

/** Rules of the traefik family judged per route, from Traefik's API. */
export const TRAEFIK_ROUTER_RULES: readonly Rule<RouterSubject, NsContext>[] = [
  {
    code: 'traefik.router-missing',
    severity: 'critical',
    family: 'traefik',
    title: 'Traefik has no router for the route',
    description:
      "Traefik's API lists no router for this Ingress rule path (`<namespace>-<ingress>-<host><path>@kubernetes`, normalised): Traefik does not watch the Ingress's class or namespace, its provider failed on the Ingress, or it skipped the path because the Service has no endpoints. Requests get Traefik's 404.",
    hint: 'kubectl -n traefik logs deploy/traefik | grep INGRESS',
    alsoSeverity: { severity: 'info', when: "the Service has no ready endpoints: Traefik does as it should, and the Service's finding is the broken link" },
    check(s) {
      if (s.router) return;
      const why =
        s.readyEndpoints === 0
          ? ': Traefik skips a path whose Service has no ready endpoints ("Skipping service: no endpoints found")'
          : routeKindOf(s.ingress) === 'IngressRoute'
            ? ': its Kubernetes CRD provider does not watch the namespace, or rejected the IngressRoute (a missing Service, Middleware or TLS option; see its log)'
            : ': Traefik does not watch its class or namespace, or its Kubernetes Ingress provider rejected the Ingress (see its log)';
      return {
        message: `Traefik has no router ${s.expected} for ${where(s)} of ${routeObjectName(s.ingress)}${why}`,
        hint: `kubectl -n traefik logs deploy/traefik | grep ${s.ingress.metadata.name}`,
        ...(s.readyEndpoints === 0 ? { severity: 'info' as const } : {}),
      };
    },
  },
  {
    code: 'traefik.router-error',
    severity: 'critical',
    family: 'traefik',
    title: 'Traefik router in error',
    description:
      "Traefik has the route's router but disabled it, with its own error text (e.g. `middleware \"hst-x-auth@kubernetescrd\" does not exist`): every request to it gets Traefik's 404.",
    hint: 'curl -s TRAEFIK_API/api/http/routers/ROUTER',
    alsoSeverity: { severity: 'warning', when: 'Traefik keeps the router enabled with a warning' },
    check(s) {
      const r = s.router;
      if (!r || (r.status === 'enabled' && !r.error?.length)) return;
      const errors = r.error?.length ? r.error.join('; ') : 'no error text';
      const disabled = r.status === 'disabled';
      return {
        message: `Traefik ${disabled ? 'disabled' : 'warns about'} router ${r.name} for ${where(s)}: ${errors}`,
        hint: routerHint(s, r.name),
        ...(disabled ? {} : { severity: 'warning' as const }),
      };
    },
  },
  {
    code: 'traefik.service-no-servers',
    severity: 'critical',
    family: 'traefik',
    title: 'Traefik service without servers',
    description: "The router's Traefik service has no servers to send requests to (an empty Service allowed by allowEmptyServices): requests get 503.",
    hint: 'curl -s TRAEFIK_API/api/http/services/SERVICE',
    // Traefik agreeing with the objects is evidence, not a second broken link: the Service is the one.
    alsoSeverity: { severity: 'info', when: "the Service has no ready endpoints: Traefik does as it should, and the Service's finding is the broken link" },
    check(s) {
      const svc = s.service;
      if (!svc || (svc.type && svc.type !== 'loadbalancer')) return;
      if ((svc.servers?.length ?? 0) > 0 || Object.keys(svc.serverStatus ?? {}).length > 0) return;
      return {
        message: `Traefik service ${svc.name} of router ${s.router?.name ?? s.expected} has no servers: requests to ${where(s)} get 503`,
        hint: `curl -s ${s.api.replace(/\/+$/, '')}/api/http/services/${encodeURIComponent(svc.name)}`,
        ...(s.readyEndpoints === 0 ? { severity: 'info' as const } : {}),
      };
    },
  },
  {
    code: 'traefik.server-down',
    severity: 'warning',
    family: 'traefik',
    title: 'Traefik health check marks servers down',
    description: "Traefik's health check of the service marks some of its servers DOWN (serverStatus): it sends them no requests.",
    hint: 'curl -s TRAEFIK_API/api/http/services/SERVICE',
    suppressedBy: ['traefik.service-no-servers'],
    check(s) {
      const st = s.service?.serverStatus ?? {};
      const down = Object.keys(st)
        .filter((u) => st[u] === 'DOWN')
        .sort();
      if (down.length === 0) return;
      const total = Object.keys(st).length;
      return {
        message: `Traefik's health check marks ${down.length} of ${total} servers of ${s.service!.name} DOWN: ${down.join(', ')}`,
        hint: `curl -s ${s.api.replace(/\/+$/, '')}/api/http/services/${encodeURIComponent(s.service!.name)}`,
      };
    },
  },
  {
    code: 'traefik.entrypoint-mismatch',
    severity: 'critical',
    family: 'traefik',
    title: 'Router on the wrong entrypoints',
    description:
      'The Ingress asks for HTTPS (spec.tls, router.tls, a cert resolver) but its router does not answer HTTPS: it is only on plain-HTTP entrypoints (e.g. `router.entrypoints: web`), or on websecure without TLS (no `router.tls` and no TLS on the entrypoint), so HTTPS requests get 404; or the reverse: no TLS is asked for and the router answers only HTTPS.',
    hint: 'kubectl -n NS get ingress INGRESS -o yaml',
    check(s, ctx) {
      const r = s.router;
      if (!r) return;
      const on = routerSchemes(r, s.entryPoints);
      if (!on) return;
      const eps = routerEntryPoints(r).join(', ') || 'none';
      const hint = `${kubectl(ctx.ns)} get ${kubectlResource(routeKindOf(s.ingress))} ${s.ingress.metadata.name} -o yaml`;
      if (s.tlsReasons.length > 0 && !on.https) {
        return {
          message: `Router ${r.name} does not answer HTTPS on its entrypoints (${eps}${r.tls ? '' : ', no TLS'}) while ${s.host} asks for HTTPS (${s.tlsReasons.join(', ')}): HTTPS requests get 404`,
          hint,
        };
      }
      if (s.tlsReasons.length === 0 && !on.http) {
        return { message: `Router ${r.name} answers only over TLS (${eps}) while ${routeObjectName(s.ingress)} asks for no TLS on ${s.host}: http:// requests get 404`, hint };
      }
      return;
    },
  },
];

export type { MiddlewareIndex };

/** How one `router.middlewares` reference resolves. */
export type MiddlewareVerdict =
  | { state: 'ok' }
  | { state: 'cross-namespace'; namespace: string; name: string }
  | { state: 'missing'; why: string }
  | { state: 'not-checked' };

/**
 * Resolve a `router.middlewares` reference of an Ingress in `ns` the way Traefik does: a name without
 * `@` is qualified with the Ingress provider (`@kubernetes`), which defines no Middlewares, so it never
 * exists; `@kubernetescrd` names `Normalize(namespace-name)`; other providers are not judged.
 */
export function resolveMiddlewareRef(ref: string, ns: string, index: MiddlewareIndex): MiddlewareVerdict {
  const at = ref.lastIndexOf('@');
  if (at < 0) {
    const mine = index.byId.get(traefikNormalize(`${ns}-${ref}`))?.find((m) => m.namespace === ns);
    const fix = mine ? `; the Middleware ${ref} of ${ns} is ${crdMiddlewareName(ns, mine.name)}` : `; a Middleware NAME of ${ns} is ${crdMiddlewareName(ns, 'NAME')}`;
    return { state: 'missing', why: `without a provider Traefik reads it as ${ref}@kubernetes, and the Ingress provider defines no Middlewares${fix}` };
  }
  if (ref.slice(at + 1) !== CRD_PROVIDER) return { state: 'not-checked' };
  const id = ref.slice(0, at);
  const found = index.byId.get(id) ?? [];
  if (found.some((m) => m.namespace === ns)) return { state: 'ok' };
  const other = found[0];
  if (other) return { state: 'cross-namespace', namespace: other.namespace, name: other.name };
  // The commonest slips: the Middleware's bare name (the namespace left out), or its name as written in
  // its metadata where Traefik's id has dashes (`strip.v1` is `strip-v1`).
  const slip = [traefikNormalize(id), traefikNormalize(`${ns}-${id}`)].map((k) => index.byId.get(k)?.find((m) => m.namespace === ns)).find((m) => m !== undefined);
  if (slip) {
    return { state: 'missing', why: `Traefik ids have the form <namespace>-<name>, normalised: the Middleware ${slip.name} of ${ns} is ${crdMiddlewareName(ns, slip.name)}` };
  }
  // The Ingress's own namespace is read whenever Middlewares are (the context has no index otherwise).
  const read = [...new Set([ns, ...index.namespaces])].filter((n) => id.startsWith(`${traefikNormalize(n)}-`));
  if (read.length === 0) return { state: 'not-checked' };
  return { state: 'missing', why: `no Middleware of ${read.join(' or ')} has the Traefik id ${id} (<namespace>-<name>, normalised)` };
}

/** One reference of an Ingress's `router.middlewares` annotation. */
export interface MiddlewareRefSubject {
  ingress: SlimIngress;
  ref: string;
  verdict: MiddlewareVerdict;
}

/** Rules of the traefik family judged per `router.middlewares` reference. */
export const TRAEFIK_MIDDLEWARE_RULES: readonly Rule<MiddlewareRefSubject, NsContext>[] = [
  {
    code: 'traefik.middleware-missing',
    severity: 'critical',
    family: 'traefik',
    title: 'Middleware does not exist',
    description:
      'The Ingress names, in `traefik.ingress.kubernetes.io/router.middlewares`, a Middleware that does not exist. Traefik names a Middleware `<namespace>-<name>@kubernetescrd` (every run of characters other than letters and digits becomes `-`); a name without `@kubernetescrd` is looked up in the Ingress provider, which has none. Traefik then disables the router: every request gets 404.',
    hint: 'kubectl -n NS get middlewares.traefik.io',
    check(s, ctx) {
      if (s.verdict.state !== 'missing') return;
      return {
        message: `${routeObjectName(s.ingress)} names Middleware ${s.ref}, which does not exist: ${s.verdict.why}`,
        hint: `${kubectl(ctx.ns)} get middlewares.traefik.io`,
        key: s.ref,
      };
    },
  },
  {
    code: 'traefik.middleware-cross-namespace',
    severity: 'warning',
    family: 'traefik',
    title: "Middleware of another namespace",
    description:
      "The Ingress names a Middleware of another namespace. Traefik's Kubernetes Ingress provider resolves it, but the route then depends on another environment's object; Traefik skips the whole Ingress when `providers.kubernetesIngress.crossProviderNamespaces` is set without this namespace, and IngressRoutes may not do this unless `providers.kubernetesCRD.allowCrossNamespace` is on.",
    hint: 'kubectl -n OTHER get middleware NAME -o yaml',
    check(s) {
      if (s.verdict.state !== 'cross-namespace') return;
      return {
        message: `${routeObjectName(s.ingress)} names Middleware ${s.ref} of namespace ${s.verdict.namespace}, not its own`,
        hint: `kubectl -n ${s.verdict.namespace} get middleware ${s.verdict.name} -o yaml`,
        key: s.ref,
      };
    },
  },
];

/** An IngressRoute as a whole, with the routes whose `match` could not be read. */
export interface IngressRouteSubject {
  ingressRoute: SlimTraefikIngressRoute;
  /** Each route whose rule did not parse: its position in `spec.routes`, its text and why. */
  unparsed: { index: number; match: string; error: string }[];
}

const ingressRouteYaml = (ns: string, name: string, legacy?: boolean) =>
  `${kubectl(ns)} get ingressroutes.${legacy ? 'traefik.containo.us' : 'traefik.io'} ${name} -o yaml`;

/** Rules of the traefik family judged per IngressRoute object; reported on the namespace, like `ingress.no-rules`. */
export const INGRESSROUTE_RULES: readonly Rule<IngressRouteSubject, NsContext>[] = [
  {
    code: 'traefik.legacy-crd-ignored',
    severity: 'warning',
    family: 'traefik',
    title: 'IngressRoute of the old API group',
    description:
      'The IngressRoute is of the group `traefik.containo.us`, which Traefik v3 no longer reads: it routes nothing. Its routes are not shown as domains. Recreate it as `traefik.io/v1alpha1`.',
    hint: 'kubectl -n NS get ingressroutes.traefik.containo.us NAME -o yaml',
    check({ ingressRoute }, ctx) {
      if (!ingressRoute.legacy) return;
      const name = ingressRoute.metadata.name;
      return {
        message: `IngressRoute ${name} is of the group traefik.containo.us, which Traefik v3 ignores: it routes nothing until it is recreated as traefik.io/v1alpha1`,
        hint: ingressRouteYaml(ctx.ns, name, true),
      };
    },
  },
  {
    code: 'traefik.match-unparsed',
    severity: 'warning',
    family: 'traefik',
    title: 'IngressRoute rule not understood',
    description:
      "Chainboard could not read a route's `match` rule (Traefik's rule language: `Host`, `PathPrefix`... joined by `&&`, `||`, `!`). The route is not shown as a domain; Traefik itself may reject the rule too.",
    hint: 'kubectl -n NS get ingressroutes.traefik.io NAME -o yaml',
    check({ ingressRoute, unparsed }, ctx) {
      const name = ingressRoute.metadata.name;
      return unparsed.map((u) => ({
        message: `IngressRoute ${name}: the rule of spec.routes[${u.index}] could not be read (${u.error}): ${u.match}`,
        hint: ingressRouteYaml(ctx.ns, name),
        key: String(u.index),
      }));
    },
  },
];
