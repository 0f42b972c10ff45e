import type { LoadBalancerIngress, SlimGateway } from './k8s';

/** A Gateway's `status.addresses` as an Ingress's load balancer: where its hosts should resolve to. */
export function gatewayLoadBalancer(g: SlimGateway | undefined): LoadBalancerIngress[] {
  return (g?.status?.addresses ?? []).flatMap((a): LoadBalancerIngress[] => (!a.value ? [] : a.type === 'Hostname' ? [{ hostname: a.value }] : [{ ip: a.value }]));
}
