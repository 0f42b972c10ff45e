/**
 * Gateway API rules: judged per draft of an HTTPRoute (one host, path and backendRef through one parent
 * Gateway). The controller's status conditions on the route, its Gateway, the Gateway's listeners and
 * its GatewayClass are the controller's own verdict and lead; where no controller has written status,
 * that is said (pending), never taken for healthy. What the controller cannot say before it has looked
 * (a parent or backend that does not exist, a listener that takes none of the route's hostnames) is
 * Chainboard's own reading of the objects.
 * @see https://gateway-api.sigs.k8s.io/reference/spec/
 */
import { edgeLink, nodeId, nodeLink } from '../../model/ids';
import type { GatewayListener, ServicePort, SlimService } from '../../model/k8s';
import { kubectl, type NsContext } from '../context';
import { conditionOf, conditionText, parentName } from '../gateway-api';
import type { GatewayRouteInfo } from '../steps/httproutes';
import { describePorts, type RouteClaim } from './ingress';
import type { Hit, Rule } from './types';

/** One draft of an HTTPRoute, with its backend as the shared steps resolved it. */
export interface GatewayRouteSubject {
  info: GatewayRouteInfo;
  claim: RouteClaim;
  /** The backend Service, when it exists in the namespace. */
  service?: SlimService;
  /** The Service port the backendRef resolves to. */
  port?: ServicePort;
}

const RESOURCE = 'httproutes.gateway.networking.k8s.io';
const GATEWAYS = 'gateways.gateway.networking.k8s.io';
const routeYaml = (ns: string, name: string) => `${kubectl(ns)} get ${RESOURCE} ${name} -o yaml`;
const describeRoute = (ns: string, name: string) => `${kubectl(ns)} describe ${RESOURCE} ${name}`;
const gatewayRef = (s: GatewayRouteSubject) => {
  const g = s.info.parent.gateway!;
  return { kind: 'Gateway', namespace: g.metadata.namespace ?? '', name: g.metadata.name };
};
/** The node of the Gateway itself (drawn missing when it does not exist; it stands for its listener nodes). */
const gatewayNode = (s: GatewayRouteSubject) => nodeLink(nodeId.gateway(s.info.parent.key!.namespace, s.info.parent.key!.name));
const listenerNode = (s: GatewayRouteSubject, l: GatewayListener) => nodeLink(nodeId.gateway(s.info.parent.key!.namespace, s.info.parent.key!.name, listenerName(l)));
const where = (c: RouteClaim) => `${c.host}${c.path} (${c.pathType})`;
const listenerName = (l: GatewayListener) => l.name ?? '?';

/** The controller's verdict, when it gives one, as evidence beside Chainboard's own. */
function controllerSays(s: GatewayRouteSubject, type: string): string {
  const c = conditionOf(s.info.parent.status?.conditions, type);
  return c && c.status === 'False' ? ` (the controller agrees: ${type} False, ${conditionText(c)})` : '';
}

type GatewayRule = Rule<GatewayRouteSubject, NsContext>;

/**
 * A parent that does not take the host while another parent of the route serves it leaves the host
 * served: its findings are then warnings, and say so.
 */
const lesser = (s: GatewayRouteSubject): Partial<Hit> => (s.info.servedElsewhere ? { severity: 'warning' } : {});
const elsewhere = (s: GatewayRouteSubject) => (s.info.servedElsewhere ? `; another parent of the route serves ${s.claim.host}` : '');

export const GATEWAY_ROUTE_RULES: readonly GatewayRule[] = [
  {
    code: 'gateway.route-not-accepted',
    severity: 'critical',
    family: 'gateway',
    title: 'HTTPRoute not accepted by its Gateway',
    description:
      "The controller wrote `Accepted: False` in the HTTPRoute's `status.parents[]` entry for this Gateway: the Gateway does not serve the route. The finding carries the controller's reason (`NotAllowedByListeners`, `NoMatchingListenerHostname`, `NoMatchingParent`...) and message.",
    hint: 'kubectl -n NS describe httproutes.gateway.networking.k8s.io NAME',
    alsoSeverity: { severity: 'warning', when: 'another parent of the HTTPRoute serves the host' },
    check(s, ctx) {
      const c = conditionOf(s.info.parent.status?.conditions, 'Accepted');
      if (!c || c.status !== 'False' || !s.info.parent.key) return;
      const by = s.info.parent.status?.controllerName ? ` (controller ${s.info.parent.status.controllerName})` : '';
      return {
        message: `HTTPRoute ${s.info.route.metadata.name} is not accepted by Gateway ${parentName(s.info.parent.key)}${by}: ${conditionText(c)}${elsewhere(s)}`,
        hint: describeRoute(ctx.ns, s.info.route.metadata.name),
        ...lesser(s),
      };
    },
  },
  {
    code: 'gateway.parent-missing',
    severity: 'critical',
    family: 'gateway',
    title: 'Parent Gateway missing',
    description:
      'The HTTPRoute names no parent Gateway (`spec.parentRefs` is empty), or names a Gateway that does not exist: nothing serves it. A Gateway in a namespace Chainboard does not read (namespace-list mode without `CHAINBOARD_GATEWAY_NAMESPACES`) looks missing too. Skipped when Gateways cannot be read.',
    hint: 'kubectl get gateways.gateway.networking.k8s.io -A',
    suppressedBy: ['gateway.route-not-accepted'],
    alsoSeverity: { severity: 'warning', when: 'another parent of the HTTPRoute serves the host' },
    check(s, ctx) {
      const p = s.info.parent;
      if (!p.gatewaysRead || p.gateway) return;
      const name = s.info.route.metadata.name;
      if (!p.key) return { message: `HTTPRoute ${name} names no parent Gateway (spec.parentRefs is empty): no Gateway serves it`, hint: routeYaml(ctx.ns, name) };
      return {
        message: `HTTPRoute ${name} attaches to Gateway ${p.key.namespace}/${p.key.name}, which does not exist${s.info.servedElsewhere ? elsewhere(s) : ': no Gateway serves it'}`,
        hint: `kubectl get ${GATEWAYS} -A`,
        link: gatewayNode(s),
        ...lesser(s),
      };
    },
  },
  {
    code: 'gateway.class-not-accepted',
    severity: 'critical',
    family: 'gateway',
    title: 'GatewayClass not accepted',
    description:
      "The Gateway's GatewayClass does not exist, or its controller wrote `Accepted: False` on it (with its reason): no controller programs the Gateway. Skipped when GatewayClasses cannot be read.",
    hint: 'kubectl describe gatewayclasses.gateway.networking.k8s.io CLASS',
    check(s) {
      const g = s.info.parent.gateway;
      if (!g || !s.info.parent.classesRead) return;
      const name = g.spec?.gatewayClassName ?? '';
      const cls = s.info.parent.gatewayClass;
      const object = { kind: 'GatewayClass', name };
      const hint = `kubectl describe gatewayclasses.gateway.networking.k8s.io ${name}`;
      const link = gatewayNode(s);
      if (!cls) return { message: `Gateway ${g.metadata.namespace}/${g.metadata.name} names GatewayClass ${name || '(none)'}, which does not exist: no controller programs it`, hint: 'kubectl get gatewayclasses.gateway.networking.k8s.io', object, link };
      const c = conditionOf(cls.status?.conditions, 'Accepted');
      if (!c || c.status !== 'False') return;
      return { message: `GatewayClass ${name} is not accepted by its controller ${cls.spec?.controllerName ?? '?'}: ${conditionText(c)}`, hint, object, link };
    },
  },
  {
    code: 'gateway.listener-not-programmed',
    severity: 'critical',
    family: 'gateway',
    title: 'Gateway listener not programmed',
    description:
      "The controller wrote `Programmed: False` (or `Accepted: False`) on the listener the host comes through, or on the whole Gateway, with its reason (an invalid certificate reference, a port conflict...): the data plane does not serve it. `attachedRoutes` is in the message.",
    hint: 'kubectl -n NS describe gateways.gateway.networking.k8s.io GATEWAY',
    suppressedBy: ['gateway.class-not-accepted'],
    check(s) {
      const g = s.info.parent.gateway;
      if (!g) return;
      const hint = `${kubectl(g.metadata.namespace)} describe ${GATEWAYS} ${g.metadata.name}`;
      const object = gatewayRef(s);
      const hits: Hit[] = [];
      for (const l of s.info.listeners) {
        const st = g.status?.listeners?.find((x) => x.name === l.name);
        for (const type of ['Programmed', 'Accepted']) {
          const c = conditionOf(st?.conditions, type);
          if (!c || c.status !== 'False') continue;
          hits.push({
            message: `Listener ${listenerName(l)} (${l.protocol ?? '?'} ${l.port ?? '?'}) of Gateway ${g.metadata.namespace}/${g.metadata.name} is not ${type.toLowerCase()}: ${conditionText(c)}; attachedRoutes ${st?.attachedRoutes ?? 0}`,
            hint,
            object,
            key: listenerName(l),
            link: listenerNode(s, l),
          });
          break;
        }
      }
      if (hits.length > 0) return hits;
      for (const type of ['Programmed', 'Accepted']) {
        const c = conditionOf(g.status?.conditions, type);
        if (c && c.status === 'False') return { message: `Gateway ${g.metadata.namespace}/${g.metadata.name} is not ${type.toLowerCase()}: ${conditionText(c)}`, hint, object, link: gatewayNode(s) };
      }
    },
  },
  {
    code: 'gateway.no-matching-listener',
    severity: 'critical',
    family: 'gateway',
    title: 'No listener takes the route',
    description:
      "No listener of the parent Gateway takes the HTTPRoute for this hostname: the listener's hostname does not intersect the route's hostnames (wildcards as the Gateway API defines them), the `sectionName` or `port` names no listener, the protocol is not HTTP/HTTPS, or `allowedRoutes` excludes the route's namespace or kind.",
    hint: 'kubectl -n NS get gateways.gateway.networking.k8s.io GATEWAY -o yaml',
    suppressedBy: ['gateway.route-not-accepted', 'gateway.parent-missing'],
    alsoSeverity: { severity: 'warning', when: 'another parent of the HTTPRoute serves the host' },
    check(s) {
      const g = s.info.parent.gateway;
      if (!g || s.info.listeners.length > 0) return;
      const why = s.info.parent.refused.length > 0 ? s.info.parent.refused.join('; ') : 'the Gateway has no listeners';
      return {
        message: `No listener of Gateway ${g.metadata.namespace}/${g.metadata.name} takes HTTPRoute ${s.info.route.metadata.name} for ${s.claim.host}: ${why}${controllerSays(s, 'Accepted')}${elsewhere(s)}`,
        hint: `${kubectl(g.metadata.namespace)} get ${GATEWAYS} ${g.metadata.name} -o yaml`,
        link: gatewayNode(s),
        ...lesser(s),
      };
    },
  },
  {
    code: 'gateway.status-pending',
    severity: 'warning',
    family: 'gateway',
    title: 'No controller has reported yet',
    description:
      'No controller has written status for the HTTPRoute on this Gateway (no `status.parents[]` entry for it), or for the Gateway or its listener: whether it is accepted and programmed is not checked yet. Never read as healthy; usually no controller serves the GatewayClass, or it has not caught up.',
    hint: 'kubectl -n NS get httproutes.gateway.networking.k8s.io NAME -o yaml',
    suppressedBy: ['gateway.parent-missing', 'gateway.class-not-accepted', 'gateway.no-matching-listener'],
    check(s, ctx) {
      const p = s.info.parent;
      const g = p.gateway;
      if (!g || !p.key) return;
      const name = s.info.route.metadata.name;
      if (!p.status) {
        return {
          message: `No controller has written status for HTTPRoute ${name} on Gateway ${parentName(p.key)}: whether it is accepted is not checked yet`,
          hint: routeYaml(ctx.ns, name),
        };
      }
      const hint = `${kubectl(g.metadata.namespace)} get ${GATEWAYS} ${g.metadata.name} -o yaml`;
      if (!conditionOf(g.status?.conditions, 'Programmed') && !conditionOf(g.status?.conditions, 'Accepted')) {
        return { message: `No controller has written status for Gateway ${g.metadata.namespace}/${g.metadata.name}: whether it is programmed is not checked yet`, hint, object: gatewayRef(s), link: gatewayNode(s) };
      }
      const silent = s.info.listeners.filter((l) => !g.status?.listeners?.some((x) => x.name === l.name && (x.conditions?.length ?? 0) > 0));
      if (silent.length > 0) {
        return {
          message: `No controller has written status for listener ${silent.map(listenerName).join(', ')} of Gateway ${g.metadata.namespace}/${g.metadata.name}: whether it is programmed is not checked yet`,
          hint,
          object: gatewayRef(s),
          link: silent.length === 1 ? listenerNode(s, silent[0]!) : gatewayNode(s),
        };
      }
    },
  },
  {
    code: 'gateway.backend-missing',
    severity: 'critical',
    family: 'gateway',
    title: 'Backend Service missing',
    description: "A backendRef of the HTTPRoute names a Service that does not exist in the route's namespace: the requests it would get are answered with a 500.",
    hint: 'kubectl -n NS get services',
    check(s, ctx) {
      const b = s.info.backendRef;
      if (!b || s.service || !b.name || ctx.gapKinds.has('Service')) return;
      if ((b.kind ?? 'Service') !== 'Service' || (b.group ?? '') !== '' || (b.namespace && b.namespace !== ctx.ns)) return;
      return {
        message: `HTTPRoute ${s.info.route.metadata.name}: ${where(s.claim)} routes to Service ${b.name}, which does not exist in ${ctx.ns}${controllerSays(s, 'ResolvedRefs')}`,
        hint: `${kubectl(ctx.ns)} get services`,
        link: edgeLink(s.claim.routeId, nodeId.service(b.name)),
      };
    },
  },
  {
    code: 'gateway.backend-port-missing',
    severity: 'critical',
    family: 'gateway',
    title: 'Backend port missing',
    description: 'A backendRef of the HTTPRoute names a port the Service does not have.',
    hint: "kubectl -n NS get service SERVICE -o jsonpath='{.spec.ports}'",
    check(s, ctx) {
      const b = s.info.backendRef;
      const svc = s.service;
      if (!b || !svc || s.port || b.port === undefined) return;
      if (svc.spec?.type === 'ExternalName' && (svc.spec.ports?.length ?? 0) === 0) return;
      return {
        message: `HTTPRoute ${s.info.route.metadata.name}: ${where(s.claim)} routes to port ${b.port} of Service ${svc.metadata.name}, which has ${describePorts(svc)}${controllerSays(s, 'ResolvedRefs')}`,
        hint: `${kubectl(ctx.ns)} get service ${svc.metadata.name} -o jsonpath='{.spec.ports}'`,
        link: edgeLink(s.claim.routeId, nodeId.service(svc.metadata.name)),
      };
    },
  },
  {
    code: 'gateway.backend-not-granted',
    severity: 'critical',
    family: 'gateway',
    title: 'Cross-namespace backend not granted',
    description:
      "A backendRef names a Service of another namespace, and no ReferenceGrant in that namespace lets HTTPRoutes of the route's namespace refer to it: the controller refuses the reference (`ResolvedRefs: False`, `RefNotPermitted`). Skipped when ReferenceGrants cannot be read.",
    hint: 'kubectl -n BACKEND_NS get referencegrants.gateway.networking.k8s.io',
    check(s, ctx) {
      const b = s.info.backendRef;
      if (!b || s.info.grant !== 'not-granted') return;
      return {
        message: `HTTPRoute ${s.info.route.metadata.name}: ${where(s.claim)} routes to ${b.kind ?? 'Service'} ${b.namespace}/${b.name ?? '?'}, and no ReferenceGrant in ${b.namespace} lets HTTPRoutes of ${ctx.ns} refer to it${controllerSays(s, 'ResolvedRefs')}`,
        hint: `kubectl -n ${b.namespace} get referencegrants.gateway.networking.k8s.io -o yaml`,
      };
    },
  },
  {
    code: 'gateway.refs-not-resolved',
    severity: 'critical',
    family: 'gateway',
    title: 'References not resolved',
    description:
      "The controller wrote `ResolvedRefs: False` on the HTTPRoute for this Gateway, with its reason (`BackendNotFound`, `RefNotPermitted`, `InvalidKind`, `UnsupportedProtocol`), for a reference Chainboard's own checks do not explain (when they do, their finding names it).",
    hint: 'kubectl -n NS describe httproutes.gateway.networking.k8s.io NAME',
    suppressedBy: ['gateway.backend-missing', 'gateway.backend-port-missing', 'gateway.backend-not-granted'],
    check(s, ctx) {
      const c = conditionOf(s.info.parent.status?.conditions, 'ResolvedRefs');
      if (!c || c.status !== 'False' || s.info.ownRefProblem || !s.info.parent.key) return;
      return {
        message: `The controller cannot resolve the references of HTTPRoute ${s.info.route.metadata.name} on Gateway ${parentName(s.info.parent.key)}: ${conditionText(c)}`,
        hint: describeRoute(ctx.ns, s.info.route.metadata.name),
      };
    },
  },
  {
    code: 'gateway.backends-weight-zero',
    severity: 'critical',
    family: 'gateway',
    title: 'Every backend has weight 0',
    description: 'Every backendRef of the rule has `weight: 0`: the rule sends its requests nowhere, and the Gateway answers them with a 500.',
    hint: 'kubectl -n NS get httproutes.gateway.networking.k8s.io NAME -o yaml',
    check(s, ctx) {
      if (!s.info.allZero) return;
      return {
        message: `HTTPRoute ${s.info.route.metadata.name}: every backendRef of spec.rules[${s.info.ruleIndex}] has weight 0, so ${where(s.claim)} is answered with a 500`,
        hint: routeYaml(ctx.ns, s.info.route.metadata.name),
        key: String(s.info.ruleIndex),
      };
    },
  },
];
