/**
 * Traefik's Gateway API provider in the e2e harness: the Gateway API's standard CRDs and Traefik's own
 * RBAC for that provider, each read from the Go module of the version Traefik is built with
 * (traefik/go.mod): the CRDs from sigs.k8s.io/gateway-api's `config/crd/standard`, the RBAC from Traefik's
 * `docs/content/reference/dynamic-configuration/kubernetes-gateway-rbac.yml`. Building Traefik puts both
 * modules in Go's module cache; `go mod download` finds them there (or fetches them from the proxy).
 *
 * const traefik = await startTraefik(cp, { gateway: true });   // installs both first
 */
import { installCrds } from './crds';
import type { ControlPlane } from './harness';
import { moduleCrds, moduleObjects, requiredVersion } from './modules';
import type { KubeObject } from './objects';

/** The controller name Traefik's Gateway provider serves GatewayClasses of. */
export const TRAEFIK_GATEWAY_CONTROLLER = 'traefik.io/gateway-controller';

/** The Gateway API's standard-channel CRDs (not its ValidatingAdmissionPolicy). */
export function gatewayApiCrds(): KubeObject[] {
  return moduleCrds('sigs.k8s.io/gateway-api', requiredVersion('sigs.k8s.io/gateway-api'), 'config/crd/standard', /^gateway\.networking\.k8s\.io_(?!vap_).*\.yaml$/);
}

/** Traefik's ClusterRole for its Gateway provider, bound to the ServiceAccount Traefik runs as. */
export function traefikGatewayRbac(serviceAccount: { name: string; namespace: string }): KubeObject[] {
  const objs = moduleObjects('github.com/traefik/traefik/v3', requiredVersion('github.com/traefik/traefik/v3'), 'docs/content/reference/dynamic-configuration/kubernetes-gateway-rbac.yml');
  return objs.map((o) => (o.kind === 'ClusterRoleBinding' ? { ...o, subjects: [{ kind: 'ServiceAccount', name: serviceAccount.name, namespace: serviceAccount.namespace }] } : o));
}

/** Installs the Gateway API CRDs (waiting until established) and Traefik's RBAC for them. Idempotent. */
export async function installGatewayApi(cp: ControlPlane, serviceAccount: { name: string; namespace: string }): Promise<void> {
  const crds = gatewayApiCrds();
  await installCrds(cp, crds, 'Gateway API');
  await cp.applyAll(traefikGatewayRbac(serviceAccount));
}
