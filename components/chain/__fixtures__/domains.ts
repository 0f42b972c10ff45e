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
