/**
 * The kubectl (or openssl/dig) command that shows a diagram node's object, for the details panel's copy
 * button. Pure: the same node always gives the same command.
 */
import type { GraphNode } from '../chain';
import { parseNodeId } from '../../lib/model/ids';

/** Quotes a shell argument when it holds anything but safe characters. */
function sh(arg: string): string {
  return /^[A-Za-z0-9._\/:=@%+,-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * The command that shows the evidence for a node, or undefined when there is no object to look at.
 * `namespace` is the domain's namespace (TLS Secrets and Certificates live beside the Ingress).
 */
export function inspectCommand(node: GraphNode, namespace: string): string | undefined {
  const d = node.data;
  switch (d.kind) {
    case 'domain':
      return `kubectl -n ${sh(d.domain.namespace)} get ingress -o wide`;
    case 'route':
      return `kubectl -n ${sh(d.route.namespace)} describe ${d.route.kind === 'IngressRoute' ? 'ingressroutes.traefik.io' : d.route.kind === 'HTTPRoute' ? 'httproutes.gateway.networking.k8s.io' : 'ingress'} ${sh(d.route.ingress)}`;
    case 'service':
      return d.service
        ? `kubectl -n ${sh(d.namespace)} describe service ${sh(d.name)}`
        : `kubectl -n ${sh(d.namespace)} get services`;
    case 'endpoint-group':
      return `kubectl -n ${sh(d.namespace)} get endpointslices -l kubernetes.io/service-name=${sh(d.service.name)} -o wide`;
    case 'endpoint':
      return `kubectl -n ${sh(d.namespace)} get endpointslice ${sh(d.endpoint.slice)} -o yaml`;
    case 'pod':
      return `kubectl -n ${sh(d.namespace)} describe pod ${sh(d.pod.name)}`;
    case 'dns': {
      const host = hostOf(node);
      return !host || host.includes('*') ? undefined : `dig +short ${sh(host)} A ${sh(host)} AAAA`;
    }
    case 'tls': {
      const host = hostOf(node);
      const src = d.tls.source;
      if (src.type === 'cert-manager' && src.secretName) return `kubectl -n ${sh(namespace)} describe certificate ${sh(src.secretName)}`;
      if (src.type === 'secret') {
        return `kubectl -n ${sh(namespace)} get secret ${sh(src.secretName)} -o jsonpath='{.data.tls\\.crt}' | base64 -d | openssl x509 -noout -subject -issuer -dates -ext subjectAltName`;
      }
      if (!host || host.includes('*') || !d.tls.enabled) return undefined;
      return `openssl s_client -connect ${sh(host)}:443 -servername ${sh(host)} </dev/null 2>/dev/null | openssl x509 -noout -subject -issuer -dates -ext subjectAltName`;
    }
  }
}

/** The host a DNS or TLS node names. */
function hostOf(node: GraphNode): string | undefined {
  const p = parseNodeId(node.id);
  return p?.type === 'DNS' || p?.type === 'TLS' ? p.host : undefined;
}
