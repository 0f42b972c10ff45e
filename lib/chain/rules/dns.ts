/**
 * DNS rules: does external-dns get asked to publish the host, and does the host resolve to the address
 * the Ingress publishes?
 * @see https://kubernetes-sigs.github.io/external-dns/latest/docs/annotations/annotations/
 */
import { kubectlResource, routeKindOf } from '../route-kind';
import type { DnsProbeResult } from '../../model/probe';
import { kubectl, type NsContext } from '../context';
import { hostPatternCovers, normalizeHost } from '../hosts';
import type { HostSubject } from './tls';
import type { Rule } from './types';

export const EXTERNAL_DNS_HOSTNAME = 'external-dns.alpha.kubernetes.io/hostname';
export const EXTERNAL_DNS_TARGET = 'external-dns.alpha.kubernetes.io/target';

/** The comma-separated hostnames of an external-dns annotation, normalised. */
export const splitHostnames = (v: string | undefined): string[] =>
  (v ?? '')
    .split(',')
    .map((h) => normalizeHost(h))
    .filter((h) => h !== '');

/** Rules of the dns family judged per (Ingress, host). */
export const DNS_HOST_RULES: readonly Rule<HostSubject, NsContext>[] = [
  {
    code: 'dns.annotation-mismatch',
    severity: 'warning',
    family: 'dns',
    title: 'Host not in the external-dns annotation',
    description:
      'The Ingress has an external-dns.alpha.kubernetes.io/hostname annotation whose list lacks the rule host (wildcard-aware): external-dns may not publish a record for it.',
    hint: 'kubectl -n NS get ingress INGRESS -o yaml',
    check(h, ctx) {
      if (h.host === '*') return;
      const raw = h.ingress.metadata.annotations?.[EXTERNAL_DNS_HOSTNAME];
      if (raw === undefined) return;
      const listed = splitHostnames(raw);
      if (listed.some((p) => hostPatternCovers(p, h.host))) return;
      return {
        message: `${h.host} is not in the external-dns hostname annotation of Ingress ${h.ingress.metadata.name} (${listed.join(', ') || 'empty'})`,
        hint: `${kubectl(ctx.ns)} get ${kubectlResource(routeKindOf(h.ingress))} ${h.ingress.metadata.name} -o yaml`,
      };
    },
  },
];

/** A domain's DNS probe result and the addresses it should resolve to. */
export interface DnsProbeSubject {
  host: string;
  probe: DnsProbeResult;
  /** IPs the Ingresses publish (status.loadBalancer, external-dns target). */
  expectedIps: string[];
  /** Hostnames the Ingresses publish (status.loadBalancer, external-dns target). */
  expectedHostnames: string[];
}

/**
 * The `dig` arguments that ask one DNS server as the probe names it (`ip`, `ip:port`, `[v6]:port`, or a
 * comma-separated list of those, of which dig takes the first): dig reads `@127.0.0.1:50561` as a host
 * name, so the port goes to `-p`, and an IPv6 address goes without its brackets.
 */
export function digServerArgs(server: string | undefined): string {
  const first = server?.split(',')[0]?.trim();
  if (!first) return '';
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(first);
  if (bracketed) return bracketed[2] && bracketed[2] !== '53' ? `-p ${bracketed[2]} @${bracketed[1]}` : `@${bracketed[1]}`;
  const v4 = /^([^:]+):(\d+)$/.exec(first);
  if (v4) return v4[2] !== '53' ? `-p ${v4[2]} @${v4[1]}` : `@${v4[1]}`;
  // More than one colon and no brackets: a bare IPv6 address, on the default port.
  return `@${first}`;
}

const digHint = (s: DnsProbeSubject) => {
  const server = digServerArgs(s.probe.server);
  return `dig +noall +answer ${server ? `${server} ` : ''}${s.host} A ${s.host} AAAA`;
};
const at = (s: DnsProbeSubject) => (s.probe.server ? ` at ${s.probe.server}` : '');

export const DNS_PROBE_RULES: readonly Rule<DnsProbeSubject, NsContext>[] = [
  {
    code: 'dns.not-resolving',
    severity: 'critical',
    family: 'dns',
    title: 'Host does not resolve',
    description: 'Resolving the host gives NXDOMAIN, no A/AAAA/CNAME records, or a CNAME chain that ends at a name without addresses (a dangling CNAME, e.g. to a deleted load balancer): clients cannot reach it. external-dns did not publish it, or the zone is wrong.',
    hint: 'dig HOST',
    check(s) {
      if (s.probe.status !== 'nxdomain' && s.probe.status !== 'no-records') return;
      const chain = s.probe.cname ?? [];
      const what =
        s.probe.status === 'nxdomain'
          ? 'does not exist (NXDOMAIN)'
          : chain.length
            ? `is a CNAME to ${chain.join(' -> ')}, which has no A or AAAA records (a dangling CNAME)`
            : 'has no A, AAAA or CNAME records';
      return { message: `${s.host} ${what}${at(s)}`, hint: digHint(s) };
    },
  },
  {
    code: 'dns.lookup-failed',
    severity: 'warning',
    family: 'dns',
    title: 'DNS lookup failed',
    description: 'Resolving the host failed (timeout, SERVFAIL, refused): its DNS state is not known.',
    hint: 'dig HOST',
    check(s) {
      if (s.probe.status !== 'error') return;
      return { message: `Resolving ${s.host}${at(s)} failed: ${s.probe.error}`, hint: digHint(s) };
    },
  },
  {
    code: 'dns.points-elsewhere',
    severity: 'critical',
    family: 'dns',
    title: 'Host points elsewhere',
    description:
      "The host's A/AAAA/CNAME records include none of the addresses the Ingress publishes in status.loadBalancer (or its external-dns target): clients go to another server.",
    hint: 'dig HOST',
    check(s) {
      const p = s.probe;
      if (p.status !== 'ok') return;
      const ips = new Set(s.expectedIps);
      const hostnames = new Set(s.expectedHostnames.map(normalizeHost));
      if (ips.size === 0 && hostnames.size === 0) return; // nothing published to compare with
      const cnames = p.cname.map(normalizeHost);
      const addrs = [...p.a, ...p.aaaa];
      if (addrs.some((a) => ips.has(a)) || cnames.some((c) => hostnames.has(c))) return;
      // A load-balancer hostname may be flattened into plain A records (an ALIAS): no CNAME, no verdict.
      if (ips.size === 0 && cnames.length === 0) return;
      const got = [...p.a.map((a) => `A ${a}`), ...p.aaaa.map((a) => `AAAA ${a}`), ...cnames.map((c) => `CNAME ${c}`)].join(', ') || 'nothing';
      const want = [...ips, ...hostnames].join(', ');
      return { message: `${s.host} resolves to ${got}${at(s)}, but the Ingress publishes ${want}`, hint: digHint(s) };
    },
  },
];
