import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DomainChain } from '../../lib/model/chain';
import { buildGraph } from '../chain';
import { inspectCommand } from './commands';

const fixtures = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'chain', '__fixtures__', 'sample-domains.json'), 'utf8')) as Record<string, DomainChain>;

test('every node of a chain gets the command that shows its object', () => {
  const d = fixtures['checkout.acme.junovy.com']!;
  const g = buildGraph(d);
  const cmds = Object.fromEntries(g.nodes.map((n) => [n.id, inspectCommand(n, d.namespace)]));
  assert.deepEqual(cmds, {
    'Domain/checkout.acme.junovy.com': 'kubectl -n hst-acme get ingress -o wide',
    'DNS/checkout.acme.junovy.com': 'dig +short checkout.acme.junovy.com A checkout.acme.junovy.com AAAA',
    'TLS/checkout.acme.junovy.com':
      'openssl s_client -connect checkout.acme.junovy.com:443 -servername checkout.acme.junovy.com </dev/null 2>/dev/null | openssl x509 -noout -subject -issuer -dates -ext subjectAltName',
    'Route/checkout/0/0': 'kubectl -n hst-acme describe ingress checkout',
    'Service/checkout': 'kubectl -n hst-acme describe service checkout',
    'Endpoint/checkout-ckmvq/10.42.2.15': 'kubectl -n hst-acme get endpointslice checkout-ckmvq -o yaml',
    'Pod/checkout-q8x4sv2bzk-r7fpn': 'kubectl -n hst-acme describe pod checkout-q8x4sv2bzk-r7fpn',
    'Endpoint/checkout-ckmvq/10.42.3.16': 'kubectl -n hst-acme get endpointslice checkout-ckmvq -o yaml',
    'Pod/checkout-q8x4sv2bzk-zrghq': 'kubectl -n hst-acme describe pod checkout-q8x4sv2bzk-zrghq',
  });
});

test('a missing Service is looked for among the namespace\'s Services; a wildcard host gets no lookup', () => {
  const blog = fixtures['blog.northwind.junovy.com']!;
  const svc = buildGraph(blog).nodes.find((n) => n.id === 'Service/blog')!;
  assert.equal(inspectCommand(svc, blog.namespace), 'kubectl -n hst-northwind get services');
  const wild = structuredClone(blog);
  wild.host = '*.preview.example.com';
  wild.dns.id = 'DNS/*.preview.example.com';
  wild.tls.id = 'TLS/*.preview.example.com';
  const g = buildGraph(wild);
  assert.equal(inspectCommand(g.nodes.find((n) => n.kind === 'dns')!, wild.namespace), undefined);
  assert.equal(inspectCommand(g.nodes.find((n) => n.kind === 'tls')!, wild.namespace), undefined);
});
