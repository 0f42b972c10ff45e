import type {
  ResourceKind,
  SlimCertManagerCertificate,
  SlimEndpointSlice,
  SlimEvent,
  SlimIngress,
  SlimIngressClass,
  SlimNamespace,
  SlimPod,
  SlimService,
  SlimTlsSecret,
} from './k8s';
import type { ProbeResults } from './probe';

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
  /** What could not be read, per kind and namespace. */
  gaps?: DataGap[];
  /**
   * Network probe results keyed by host; `undefined` when probing is off, which is different from "on,
   * and this host has no result yet": the certificate and DNS links then read `not-checked` either way,
   * with that reason.
   */
  probes?: ProbeResults;
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
