/**
 * The chain tests' inputs: real analyses of samples/cluster (chainboard check --from samples/cluster
 * --now 2026-11-26T09:30:00Z --json), and the one shape the samples lack, a Service with many endpoints.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DomainChain, EndpointNode } from '../../../lib/model/chain';

/** Every sample domain, by host. */
export const fixtures = JSON.parse(readFileSync(join(import.meta.dirname, 'sample-domains.json'), 'utf8')) as Record<string, DomainChain>;

/** A fresh copy of the sample domain `host`, free to change. */
export const domain = (host: string): DomainChain => structuredClone(fixtures[host] as DomainChain);

/** A Service with `n` endpoints, `notReady` of them not ready and `terminating` terminating. */
export function withManyEndpoints(n: number, notReady: number, terminating: number): DomainChain {
  const d = domain('app.my-client.junovy.com');
  const route = d.routes[0]!;
  const s = route.service!;
  const template = s.endpoints[0]!;
  const endpoints: EndpointNode[] = [];
  for (let i = 0; i < n; i++) {
    const address = `10.42.9.${i + 1}`;
    const ready = i >= notReady + terminating;
    const term = i >= notReady && i < notReady + terminating;
    const podName = `my-app-x-${i}`;
    endpoints.push({
      ...template,
      id: `Endpoint/my-app-big/${address}`,
      slice: 'my-app-big',
      addresses: [address],
      ready,
      serving: ready || term,
      terminating: term,
      health: ready ? 'healthy' : 'degraded',
      pod: { ...template.pod!, id: `Pod/${podName}`, name: podName, ready },
    });
  }
  s.endpoints = endpoints;
  s.counts = { ready: n - notReady - terminating, notReady, terminating, total: n };
  return d;
}

/**
 * A generated domain the size of a real client environment: `routes` paths of one Ingress, each to its own
 * Service, and `pods` Pods spread over them. Each Service has a current and an old ReplicaSet; of every 20
 * Pods 12 run ready, 4 crash-loop, 2 are pending and 2 terminating, so the groups have several owners and
 * states.
 */
export function bigDomain(routes: number, pods: number): DomainChain {
  const d = domain('app.my-client.junovy.com');
  d.host = 'checkout.acme-corporation.junovy.com';
  const template = d.routes[0]!;
  const endpointTemplate = template.service!.endpoints[0]!;
  const podTemplate = endpointTemplate.pod!;
  d.routes = Array.from({ length: routes }, (_, r) => {
    const name = `svc-${r}`;
    const endpoints: EndpointNode[] = [];
    for (let i = r; i < pods; i += routes) {
      const k = Math.floor(i / routes) % 20;
      const kind = k < 12 ? 'ready' : k < 16 ? 'crash' : k < 18 ? 'pending' : 'terminating';
      const owner = `ReplicaSet/${name}-${kind === 'crash' ? '5f7c9d8b6' : '7d9f8b6c5'}`;
      const podName = `${owner.slice('ReplicaSet/'.length)}-p${i}`;
      const address = `10.42.${r}.${Math.floor(i / routes) + 1}`;
      const ready = kind === 'ready';
      const health = ready ? 'healthy' : kind === 'crash' ? 'down' : 'degraded';
      endpoints.push({
        ...endpointTemplate,
        id: `Endpoint/${name}-abcde/${address}`,
        slice: `${name}-abcde`,
        addresses: [address],
        ready,
        serving: ready || kind === 'terminating',
        terminating: kind === 'terminating',
        health: ready ? 'healthy' : 'degraded',
        pod: {
          ...podTemplate,
          id: `Pod/${podName}`,
          name: podName,
          owner,
          ready,
          deleting: kind === 'terminating',
          phase: kind === 'pending' ? 'Pending' : 'Running',
          reason: kind === 'crash' ? 'CrashLoopBackOff' : kind === 'pending' ? 'ContainerCreating' : 'Running',
          restarts: kind === 'crash' ? 7 : 0,
          health,
        },
      });
    }
    const count = (f: (e: EndpointNode) => boolean) => endpoints.filter(f).length;
    return {
      ...template,
      id: `Route/platform/0/${r}`,
      ingress: 'platform',
      path: `/${name}`,
      backend: { service: { name, port: { number: 80 } } },
      service: {
        ...template.service!,
        id: `Service/${name}`,
        name,
        endpoints,
        counts: {
          ready: count((e) => e.ready && !e.terminating),
          notReady: count((e) => !e.ready && !e.terminating),
          terminating: count((e) => e.terminating),
          total: endpoints.length,
        },
      },
    };
  });
  return d;
}
