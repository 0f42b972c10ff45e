/**
 * Backends: the Service a route names, in the route's namespace (Ingress backends are always
 * same-namespace), and the Service port its backend port resolves to, by name or by number.
 * @see https://kubernetes.io/docs/concepts/services-networking/ingress/#resource-backend
 */
import type { RouteBackendRef } from '../../model/chain';
import type { IngressBackend, ServiceBackendPort, ServicePort, SlimService } from '../../model/k8s';
import type { NsContext } from '../context';

/** What a route's backend resolves to; either may be missing (the route's findings say why). */
export interface Backend {
  service?: SlimService;
  port?: ServicePort;
}

function resolvePort(svc: SlimService, want: ServiceBackendPort | undefined): ServicePort | undefined {
  if (!want) return undefined;
  const ports = svc.spec?.ports ?? [];
  if (want.name !== undefined && want.name !== '') return ports.find((p) => p.name === want.name);
  if (want.number !== undefined) return ports.find((p) => p.port === want.number);
  return undefined;
}

/** The Service and Service port of a backend, those that exist. */
export function resolveBackend(ctx: NsContext, backend: IngressBackend | undefined): Backend {
  const name = backend?.service?.name;
  const service = name ? ctx.services.get(name) : undefined;
  if (!service) return {};
  let port = resolvePort(service, backend?.service?.port);
  // An ExternalName Service need not declare ports: the backend's port number is used as is.
  const number = backend?.service?.port?.number;
  if (!port && service.spec?.type === 'ExternalName' && (service.spec.ports?.length ?? 0) === 0 && number !== undefined) port = { port: number };
  return port ? { service, port } : { service };
}

/** The backend as the route node shows it: a copy, so the result shares nothing with the snapshot. */
export function backendRef(b: IngressBackend | undefined): RouteBackendRef {
  const out: RouteBackendRef = {};
  if (b?.service) out.service = { ...b.service, ...(b.service.port ? { port: { ...b.service.port } } : {}) };
  if (b?.resource) out.resource = { ...b.resource };
  return out;
}
