import type {
  ResourceKind,
  SlimAcmeChallenge,
  SlimAcmeOrder,
  SlimCertificateRequest,
  SlimCertManagerIssuer,
  SlimCertManagerCertificate,
  SlimEndpointSlice,
  SlimEvent,
  SlimIngress,
  SlimIngressClass,
  SlimNamespace,
  SlimPod,
  SlimService,
  SlimTlsSecret,
  SlimTraefikIngressRoute,
  SlimTraefikMiddleware,
  SlimGateway,
  SlimGatewayClass,
  SlimHTTPRoute,
  SlimReferenceGrant,
} from './k8s';
import type { ProbeResults } from './probe';
import type { TraefikView } from './traefik';

/**
 * Data that Chainboard could not read. A gap never reads as healthy: the domains it touches roll up to
 * `unknown` unless something already known makes them `down`.
 */
export type DataGap =
  | { reason: 'forbidden'; kind: ResourceKind; namespace?: string; message: string }
  | { reason: 'not-synced'; kind: ResourceKind; namespace?: string; message: string }
  | { reason: 'error'; kind: ResourceKind; namespace?: string; message: string };

/**
 * Everything the engine analyses, at one moment. Pure data: the engine does no I/O.
 * `tlsSecrets` and `certificates` are `undefined` when Chainboard may not (or is not configured to) read
 * them, which is different from "read, and there are none".
 */
export interface Snapshot {
  namespaces: SlimNamespace[];
  ingressClasses: SlimIngressClass[];
  ingresses: SlimIngress[];
  services: SlimService[];
  endpointSlices: SlimEndpointSlice[];
  pods: SlimPod[];
  events: SlimEvent[];
  tlsSecrets?: SlimTlsSecret[];
  certificates?: SlimCertManagerCertificate[];
  /**
   * cert-manager's request chain behind the Certificates: CertificateRequests, ACME Orders and Challenges,
   * Issuers and ClusterIssuers. Each `undefined` when not read (not configured, or its CRD is not
   * installed), which is different from "read, and there are none": the ACME step is then not checked.
   */
  certificateRequests?: SlimCertificateRequest[];
  orders?: SlimAcmeOrder[];
  challenges?: SlimAcmeChallenge[];
  issuers?: SlimCertManagerIssuer[];
  clusterIssuers?: SlimCertManagerIssuer[];
  /** What could not be read, per kind and namespace. */
  gaps?: DataGap[];
  /**
   * Network probe results keyed by host; `undefined` when probing is off, which is different from "on,
   * and this host has no result yet": the certificate and DNS links then read `not-checked` either way,
   * with that reason.
   */
  probes?: ProbeResults;
  /**
   * Traefik `Middleware` objects of every namespace read (an Ingress may name another namespace's);
   * `undefined` when they are not read, so `router.middlewares` references read "not checked".
   */
  middlewares?: SlimTraefikMiddleware[];
  /**
   * Traefik `IngressRoute`s (and legacy `traefik.containo.us` ones from dumps); `undefined` when they are
   * not read, which is different from "read, and there are none".
   */
  ingressRoutes?: SlimTraefikIngressRoute[];
  /**
   * The Gateway API objects (gateway.networking.k8s.io), all `undefined` when the Gateway API is not
   * read, which is different from "read, and there are none". Gateways, GatewayClasses and
   * ReferenceGrants are shared by every namespace (an HTTPRoute may attach to a Gateway of a shared
   * namespace, and a ReferenceGrant lives in the namespace of what it grants).
   */
  gatewayClasses?: SlimGatewayClass[];
  gateways?: SlimGateway[];
  httpRoutes?: SlimHTTPRoute[];
  referenceGrants?: SlimReferenceGrant[];
  /** Traefik's runtime view; `undefined` when its API is not configured (`CHAINBOARD_TRAEFIK_API`). */
  traefik?: TraefikView;
}

export function emptySnapshot(): Snapshot {
  return {
    namespaces: [],
    ingressClasses: [],
    ingresses: [],
    services: [],
    endpointSlices: [],
    pods: [],
    events: [],
  };
}
