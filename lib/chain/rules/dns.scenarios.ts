/**
 * The scenarios of the dns rules (the external-dns annotation, and how the host resolves) (test code only): for each code a fixture that triggers it, with the
 * whole expected outcome, and a healthy near-miss. dns.test.ts runs the scenarios; the catalogue tests
 * check every code has both.
 */
import assert from 'node:assert/strict';
import type { DnsProbeResult } from '../../model/probe';
import { f, HOST, node, NOW, resolverInfo } from '../__fixtures__/load';
import { ing, one, probes, type Scenario } from '../__fixtures__/scenario';

const dnsNode = node(`DNS/${HOST}`);
const withDns = (dns: DnsProbeResult) => probes({ dns });
const dnsOk = (o: { a?: string[]; aaaa?: string[]; cname?: string[] }): DnsProbeResult => ({
  status: 'ok',
  host: HOST,
  checkedAt: NOW.toISOString(),
  server: '127.0.0.1:5353',
  a: o.a ?? [],
  aaaa: o.aaaa ?? [],
  cname: o.cname ?? [],
});

export const DNS_SCENARIOS: Scenario[] = [
  {
    title: 'an external-dns hostname annotation that lacks the rule host is degraded with dns.annotation-mismatch',
    fixture: 'dns-annotation-mismatch',
    domains: one('degraded', f('dns.annotation-mismatch', 'warning', ing, dnsNode), resolverInfo()),
  },
  {
    title: 'a wildcard in the external-dns hostname annotation covers the rule host',
    fixture: 'dns-annotation-wildcard',
    domains: one('healthy', resolverInfo()),
    check: (r) => assert.deepStrictEqual(r.domains[0]!.dns.annotatedHostnames, ['*.my-client.junovy.com', 'my-client.junovy.com']),
  },
  {
    title: 'a host resolving to the Ingress load-balancer address is healthy',
    fixture: 'seed',
    edit: withDns(dnsOk({ a: ['203.0.113.10'] })),
    domains: one('healthy', resolverInfo()),
    check: (r) => assert.deepStrictEqual([r.domains[0]!.dns.loadBalancer, r.domains[0]!.dns.probe?.status], [['203.0.113.10'], 'ok']),
  },
  {
    title: 'NXDOMAIN is down with dns.not-resolving',
    fixture: 'seed',
    edit: withDns({ status: 'nxdomain', host: HOST, checkedAt: NOW.toISOString() }),
    domains: one('down', f('dns.not-resolving', 'critical', ing, dnsNode), resolverInfo()),
    check: (r) => assert.equal(r.domains[0]!.dns.health, 'down'),
  },
  {
    title: 'an answer without records is down with dns.not-resolving',
    fixture: 'seed',
    edit: withDns({ status: 'no-records', host: HOST, checkedAt: NOW.toISOString() }),
    domains: one('down', f('dns.not-resolving', 'critical', ing, dnsNode), resolverInfo()),
  },
  {
    title: 'a dangling CNAME is down with dns.not-resolving, naming where the chain ends',
    fixture: 'seed',
    edit: withDns({ status: 'no-records', host: HOST, checkedAt: NOW.toISOString(), cname: ['lb-old.junovy.net', 'gone.elb.example'] }),
    domains: one('down', f('dns.not-resolving', 'critical', ing, dnsNode), resolverInfo()),
    check: (r) =>
      assert.equal(
        r.domains[0]!.findings.find((x) => x.code === 'dns.not-resolving')!.message,
        `${HOST} is a CNAME to lb-old.junovy.net -> gone.elb.example, which has no A or AAAA records (a dangling CNAME)`,
      ),
  },
  {
    title: 'a lookup that fails is a dns.lookup-failed warning',
    fixture: 'seed',
    edit: withDns({ status: 'error', host: HOST, checkedAt: NOW.toISOString(), error: 'queryA ETIMEOUT app.my-client.junovy.com' }),
    domains: one('degraded', f('dns.lookup-failed', 'warning', ing, dnsNode), resolverInfo()),
  },
  {
    title: 'a host resolving to another address than the load balancer is down with dns.points-elsewhere',
    fixture: 'seed',
    edit: withDns(dnsOk({ a: ['198.51.100.7'] })),
    domains: one('down', f('dns.points-elsewhere', 'critical', ing, dnsNode), resolverInfo()),
  },
  {
    title: 'a CNAME to the load-balancer hostname is healthy, whatever its case and trailing dot',
    fixture: 'seed',
    edit: (s) => {
      s.ingresses[0]!.status = { loadBalancer: { ingress: [{ hostname: 'lb-1234.elb.example.net' }] } };
      s.probes = { [HOST]: { dns: dnsOk({ cname: ['LB-1234.elb.example.net.'], a: ['192.0.2.44'] }) } };
    },
    domains: one('healthy', resolverInfo()),
  },
  {
    title: 'a CNAME to another hostname than the load balancer is dns.points-elsewhere',
    fixture: 'seed',
    edit: (s) => {
      s.ingresses[0]!.status = { loadBalancer: { ingress: [{ hostname: 'lb-1234.elb.example.net' }] } };
      s.probes = { [HOST]: { dns: dnsOk({ cname: ['old-lb.example.net'], a: ['192.0.2.45'] }) } };
    },
    domains: one('down', f('dns.points-elsewhere', 'critical', ing, dnsNode), resolverInfo()),
  },
  {
    title: 'the external-dns target annotation is an address the host may point at',
    fixture: 'seed',
    edit: (s) => {
      s.ingresses[0]!.metadata.annotations!['external-dns.alpha.kubernetes.io/target'] = '198.51.100.7';
      s.probes = { [HOST]: { dns: dnsOk({ a: ['198.51.100.7'] }) } };
    },
    domains: one('healthy', resolverInfo()),
  },
];

const RESOLVES_OK = 'a host resolving to the Ingress load-balancer address is healthy';
/** For every dns code, a near-miss that must come out healthy without it: a fixture, or the title of a scenario above. */
export const DNS_NEAR_MISSES: Record<string, string> = {
  'dns.annotation-mismatch': 'dns-annotation-wildcard',
  'dns.not-resolving': RESOLVES_OK,
  'dns.lookup-failed': RESOLVES_OK,
  'dns.points-elsewhere': 'a CNAME to the load-balancer hostname is healthy, whatever its case and trailing dot',
};
