/**
 * HTTP rules: what a request to the domain gets, through the address the Ingress publishes. The objects
 * can all look right while every request fails (a router dropped for a missing Middleware answers
 * Traefik's `404 page not found`; a backend that resets gives its `Bad Gateway`); this is where that
 * ground truth becomes findings. Each finding sits on the link the answer blames: the controller's 404
 * on the route, its 502/503/504 and a backend's 5xx on the Service behind the route, no connection on
 * the domain.
 * @see https://doc.traefik.io/traefik/routing/routers/
 */
import type { ChainLink } from '../../model/chain';
import { EXPECT_STATUS_ANNOTATION, PROBE_PATH_ANNOTATION, type HttpProbeResult } from '../../model/probe';
import { kubectl, type NsContext } from '../context';
import { kubectlResource } from '../route-kind';
import type { Rule } from './types';

/** One HTTP check of a host, with the links of the chain it is about. */
export interface HttpProbeSubject {
  probe: HttpProbeResult;
  /** `http.slow` above this (ms). */
  slowMs: number;
  /** The route node the checked path belongs to, when this namespace has it. */
  route?: ChainLink;
  /** The Service node behind that route, when it resolves. */
  service?: ChainLink;
  /** The domain node: where a failure of the whole host (no connection) is shown. */
  domain: ChainLink;
  /** The Service the route's backend names, resolved or not. */
  backendService?: string;
}

type Answered = Extract<HttpProbeResult, { status: 'ok' }>;
const answered = (s: HttpProbeSubject): Answered | undefined => (s.probe.status === 'ok' ? s.probe : undefined);

/** `https://host/path`, the URL a user would type (the port only when not 443). */
export function httpUrl(p: Pick<HttpProbeResult, 'host' | 'path' | 'target'>): string {
  const port = /:(\d+)$/.exec(p.target)?.[1];
  return `https://${p.host}${port && port !== '443' ? `:${port}` : ''}${p.path}`;
}

/**
 * The curl command that sends the same request through the same address: `--resolve` pins the host
 * to the dialled address, so SNI and Host are the domain's, exactly as the check sent them.
 */
export function curlHint(p: Pick<HttpProbeResult, 'host' | 'path' | 'target'>): string {
  const m = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(p.target);
  const address = m?.[1] ?? p.target;
  const port = m?.[2] ?? '443';
  return `curl -sv --resolve ${p.host}:${port}:${address} ${httpUrl(p)}`;
}

const ms = (n: number) => `${n} ms`;
const via = (p: HttpProbeResult) => `${ms(p.latencyMs)} via ${p.target}`;
const snippet = (a: Answered) => (a.bodySnippet ? `: "${a.bodySnippet}"` : '');
/** The route object as messages name it: `Ingress shop`, or `IngressRoute shop` for a Traefik route. */
const routeObject = (p: HttpProbeResult) => `${p.route.kind ?? 'Ingress'} ${p.route.ingress}`;
const routeText = (p: HttpProbeResult) => `${routeObject(p)}, path ${p.route.path}`;
const expectedText = (p: HttpProbeResult) => (p.expectStatus?.length ? p.expectStatus.join(' or ') : undefined);
/** Is this status what the route's `chainboard.io/expect-status` asks for? */
const isExpected = (p: HttpProbeResult, status: number) => p.expectStatus?.includes(status) ?? false;

/** Where a backend failure shows: the Service behind the route, else the route, else the domain. */
const backendLink = (s: HttpProbeSubject) => s.service ?? s.route ?? s.domain;
const routeLink = (s: HttpProbeSubject) => s.route ?? s.domain;

export const HTTP_PROBE_RULES: readonly Rule<HttpProbeSubject, NsContext>[] = [
  {
    code: 'http.unreachable',
    severity: 'critical',
    family: 'http',
    title: 'No HTTP answer from the ingress',
    description:
      'The HTTPS request got no answer at all: no TCP or TLS connection to the address the Ingress publishes (or the probe address), or the connection was closed before any answer. Users cannot reach the domain; the ingress controller is down, unreachable, or not listening there.',
    hint: 'curl -sv --resolve HOST:PORT:ADDRESS https://HOST/PATH',
    check(s) {
      const p = s.probe;
      if (p.status !== 'error' || (p.errorKind !== 'unreachable' && p.errorKind !== 'reset' && p.errorKind !== 'other')) return;
      return { message: `${httpUrl(p)} got no answer from ${p.target} after ${ms(p.latencyMs)}: ${p.error}`, hint: curlHint(p), link: s.domain };
    },
  },
  {
    code: 'http.timeout',
    severity: 'critical',
    family: 'http',
    title: 'HTTP request timed out',
    description: 'The HTTPS request to the domain got no complete answer within the probe timeout: users wait and give up.',
    hint: 'curl -sv --max-time 10 --resolve HOST:PORT:ADDRESS https://HOST/PATH',
    check(s) {
      const p = s.probe;
      if (p.status !== 'error' || p.errorKind !== 'timeout') return;
      return { message: `${httpUrl(p)} via ${p.target}: ${p.error}`, hint: curlHint(p).replace('curl -sv', 'curl -sv --max-time 10'), link: routeLink(s) };
    },
  },
  {
    code: 'http.not-routed',
    severity: 'critical',
    family: 'http',
    title: 'Ingress controller has no route',
    description:
      "The ingress controller itself answered 404 with its own page (Traefik's `404 page not found`): it has no router for this host and path, whatever the Ingress says. Traefik drops a router whose Middleware is missing, whose entrypoint does not match, or whose Ingress class or namespace it does not watch.",
    hint: 'curl -sv --resolve HOST:PORT:ADDRESS https://HOST/PATH',
    check(s) {
      const a = answered(s);
      if (!a || a.controller !== 'not-found' || isExpected(a, a.statusCode)) return;
      return {
        message: `${httpUrl(a)} answered ${a.statusCode} from the ingress controller itself (${via(a)}${snippet(a)}): no router for this host and path (${routeText(a)})`,
        hint: curlHint(a),
        link: routeLink(s),
      };
    },
  },
  {
    code: 'http.bad-gateway',
    severity: 'critical',
    family: 'http',
    title: 'Ingress controller: bad gateway',
    description:
      'The ingress controller answered 502 Bad Gateway or 504 Gateway Timeout with its own page: it has a route, but the backend behind it refused the connection, reset it, or did not answer in time.',
    hint: 'curl -sv --resolve HOST:PORT:ADDRESS https://HOST/PATH',
    check(s) {
      const a = answered(s);
      if (!a || (a.controller !== 'bad-gateway' && a.controller !== 'gateway-timeout') || isExpected(a, a.statusCode)) return;
      return {
        message: `${httpUrl(a)} answered ${a.statusCode} from the ingress controller (${via(a)}${snippet(a)}): the backend of ${routeText(a)} refused, reset or did not answer`,
        hint: curlHint(a),
        link: backendLink(s),
      };
    },
  },
  {
    code: 'http.unavailable',
    severity: 'critical',
    family: 'http',
    title: 'Ingress controller: no servers',
    description:
      'The ingress controller answered 503 with its own page (Traefik\'s `no available server`, or `Service Unavailable`): the route exists but has no server behind it (no ready endpoints, or all of them failing its health checks).',
    hint: 'curl -sv --resolve HOST:PORT:ADDRESS https://HOST/PATH',
    check(s) {
      const a = answered(s);
      if (!a || a.controller !== 'unavailable' || isExpected(a, a.statusCode)) return;
      return {
        message: `${httpUrl(a)} answered 503 from the ingress controller (${via(a)}${snippet(a)}): no servers behind ${routeText(a)}`,
        hint: curlHint(a),
        link: backendLink(s),
      };
    },
  },
  {
    code: 'http.backend-unresolved',
    severity: 'critical',
    family: 'http',
    title: "Ingress controller cannot resolve the route's service",
    description:
      "The ingress controller answered a bare 500 of its own: exactly `Internal Server Error`, plain text, with no header an application sets (Traefik's answer when a router's service cannot be resolved: an HTTPRoute backend that is missing or not permitted, a service Traefik does not know). The route exists, but nothing behind it is reachable. A 500 from the application itself, with its own body or headers, is `http.server-error`.",
    hint: 'kubectl -n NS get httproutes.gateway.networking.k8s.io NAME -o yaml; kubectl -n NS get services; curl -s "$CHAINBOARD_TRAEFIK_API/api/http/routers?search=NS"',
    check(s, ctx) {
      const a = answered(s);
      if (!a || a.controller !== 'internal-error' || !a.bare || isExpected(a, a.statusCode)) return;
      const svc = s.backendService ? `; ${kubectl(ctx.ns)} get service ${s.backendService}` : `; ${kubectl(ctx.ns)} get services`;
      return {
        message: `${httpUrl(a)} answered a bare 500 from the ingress controller (${via(a)}${snippet(a)}, no application headers): it cannot resolve the service of ${routeText(a)}${s.backendService ? ` (Service ${s.backendService})` : ''}`,
        hint: `${kubectl(ctx.ns)} get ${kubectlResource(a.route.kind ?? 'Ingress')} ${a.route.ingress} -o yaml${svc}; curl -s "$CHAINBOARD_TRAEFIK_API/api/http/routers?search=${ctx.ns}"; ${curlHint(a)}`,
        link: routeLink(s),
      };
    },
  },
  {
    code: 'http.server-error',
    severity: 'warning',
    family: 'http',
    title: 'Backend answers a server error',
    description: 'The backend itself (not the ingress controller) answered with a 5xx status: the route works, the application fails.',
    hint: 'curl -sv --resolve HOST:PORT:ADDRESS https://HOST/PATH',
    check(s) {
      const a = answered(s);
      if (!a || a.from !== 'backend' || a.statusCode < 500 || isExpected(a, a.statusCode)) return;
      return { message: `${httpUrl(a)} answered ${a.statusCode} from the backend (${via(a)}${snippet(a)})`, hint: curlHint(a), link: backendLink(s) };
    },
  },
  {
    code: 'http.unexpected-status',
    severity: 'warning',
    family: 'http',
    title: 'Unexpected HTTP status',
    description: `The backend answered a 4xx status (or, with the \`${EXPECT_STATUS_ANNOTATION}\` annotation, a status it does not list). A protected app answering 401 or 403 is normal: list the status in the annotation, e.g. \`${EXPECT_STATUS_ANNOTATION}: "401"\`, and a login wall is no alarm. An app with nothing at the rule's path (an API under \`/api\`) is checked at a path that answers with \`${PROBE_PATH_ANNOTATION}\`.`,
    hint: 'curl -sv --resolve HOST:PORT:ADDRESS https://HOST/PATH',
    check(s, ctx) {
      const a = answered(s);
      if (!a || a.from !== 'backend' || a.redirect) return;
      const want = expectedText(a);
      const bad = want ? !isExpected(a, a.statusCode) && a.statusCode < 500 : a.statusCode >= 400 && a.statusCode < 500;
      if (!bad) return;
      // The app's own 404 at a bare prefix (an API with nothing at `/api`) wants another path checked, not a 404 accepted.
      const notFound = !want && a.statusCode === 404;
      const why = want
        ? `, expected ${want} (${EXPECT_STATUS_ANNOTATION})`
        : notFound
          ? `; if nothing lives at ${a.path}, point the check at a page that does with ${PROBE_PATH_ANNOTATION} on ${routeObject(a)}`
          : `; if this is expected, annotate ${routeObject(a)} with ${EXPECT_STATUS_ANNOTATION}: "${a.statusCode}"`;
      const annotate = `kubectl -n ${ctx.ns} annotate ingress ${a.route.ingress}`;
      return {
        message: `${httpUrl(a)} answered ${a.statusCode} from the backend (${via(a)}${snippet(a)})${why}`,
        hint: want ? curlHint(a) : notFound ? `${annotate} ${PROBE_PATH_ANNOTATION}=/healthz` : `${annotate} ${EXPECT_STATUS_ANNOTATION}=${a.statusCode}`,
        link: routeLink(s),
      };
    },
  },
  {
    code: 'http.redirect-loop',
    severity: 'warning',
    family: 'http',
    title: 'Redirect loop',
    description: 'The redirects of the domain come back to a URL already visited, or go on past 5 hops: browsers give up with "too many redirects".',
    hint: 'curl -sv -L --max-redirs 5 --resolve HOST:PORT:ADDRESS https://HOST/PATH',
    check(s) {
      const a = answered(s);
      if (!a?.redirect || (a.redirect.stop !== 'loop' && a.redirect.stop !== 'limit')) return;
      const chain = [httpUrl(a), ...a.redirects, a.redirect.location].join(' -> ');
      const what = a.redirect.stop === 'loop' ? 'loops' : `goes on past ${a.redirects.length} redirects`;
      return { message: `The redirect chain of ${httpUrl(a)} ${what}: ${chain}`, hint: curlHint(a).replace('curl -sv', 'curl -sv -L --max-redirs 5'), link: routeLink(s) };
    },
  },
  {
    code: 'http.redirect-offsite',
    severity: 'warning',
    family: 'http',
    title: 'Redirect off the cluster',
    description:
      'The domain redirects to a host the cluster does not serve (or to plain HTTP). Chainboard does not follow it, so what is behind it is unchecked; a stray redirect is often a wrong base URL in the app.',
    hint: 'curl -sv --resolve HOST:PORT:ADDRESS https://HOST/PATH',
    check(s) {
      const a = answered(s);
      if (!a?.redirect || (a.redirect.stop !== 'offsite' && a.redirect.stop !== 'insecure')) return;
      const why = a.redirect.stop === 'offsite' ? 'a host this cluster does not serve' : 'plain HTTP';
      return {
        message: `${httpUrl(a)} answered ${a.statusCode} redirecting to ${a.redirect.location} (${why}; not followed)`,
        hint: curlHint(a),
        link: routeLink(s),
      };
    },
  },
  {
    code: 'http.slow',
    severity: 'warning',
    family: 'http',
    title: 'Slow HTTP answer',
    description: 'The answer took longer than the slow threshold (CHAINBOARD_HTTP_SLOW_MS, default 2000 ms), redirects included.',
    hint: "curl -s -o /dev/null -w '%{time_connect} %{time_appconnect} %{time_starttransfer} %{time_total}\\n' --resolve HOST:PORT:ADDRESS https://HOST/PATH",
    suppressedBy: ['http.not-routed', 'http.bad-gateway', 'http.unavailable', 'http.backend-unresolved'],
    check(s) {
      const a = answered(s);
      if (!a || a.latencyMs <= s.slowMs) return;
      return {
        message: `${httpUrl(a)} took ${ms(a.latencyMs)} to answer ${a.statusCode} (threshold ${ms(s.slowMs)}, via ${a.target})`,
        hint: curlHint(a).replace('curl -sv', "curl -s -o /dev/null -w '%{time_connect} %{time_appconnect} %{time_starttransfer} %{time_total}\\n'"),
        link: routeLink(s),
      };
    },
  },
];
