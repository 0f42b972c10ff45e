/**
 * Resolve a domain the way its users' resolvers would (A, AAAA, CNAME), with the system resolver or the
 * configured DNS servers, so the engine can say whether it resolves at all and whether it points at the
 * Ingress load balancer.
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/ingress/#ingress-rules
 */
import 'server-only';
import { Resolver } from 'node:dns/promises';
import type { DnsProbeResult } from '../model/probe';
import { DEFAULT_PROBE_TIMEOUT_MS } from './tls';

export interface DnsProbeOptions {
  host: string;
  /** DNS servers as `ip` or `ip:port` (`[v6]:port`); none means the system resolver. */
  servers?: string[];
  timeoutMs?: number;
  /** Clock for `checkedAt` (epoch ms). */
  now?: () => number;
  signal?: AbortSignal;
}

/** Longest CNAME chain followed: real chains are 1-3 hops; anything longer is a loop or a mistake. */
const MAX_CNAME_HOPS = 8;

const code = (e: unknown): string => (e as NodeJS.ErrnoException)?.code ?? '';

/** The name-level negative answers; every other failure (timeout, refused, SERVFAIL) is an error. */
const NEGATIVE = new Set(['ENOTFOUND', 'ENODATA']);

function describe(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const msg = err?.message ?? String(e);
  return err?.code && !msg.includes(err.code) ? `${msg} (${err.code})` : msg;
}

/**
 * Resolve `host`. Never throws. `ok` means at least one address (A or AAAA) came back; `nxdomain` means
 * the name does not exist; `no-records` means it exists but has no address (also a CNAME whose target has
 * none); `error` means no usable answer (timeout, refused, SERVFAIL).
 */
export async function probeDns(opts: DnsProbeOptions): Promise<DnsProbeResult> {
  const { host } = opts;
  const now = opts.now ?? Date.now;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  const servers = opts.servers ?? [];
  const server = servers.length ? servers.join(', ') : undefined;
  const base = () => ({ host, checkedAt: new Date(now()).toISOString(), ...(server ? { server } : {}) });
  const error = (message: string): DnsProbeResult => ({ status: 'error', ...base(), error: message });

  let resolver: Resolver;
  try {
    // One try per query: the overall budget below is what bounds the probe.
    resolver = new Resolver({ timeout: timeoutMs, tries: 1 });
    if (servers.length) resolver.setServers(servers);
  } catch (e) {
    return error(`invalid DNS server setting: ${describe(e)}`);
  }

  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const cut = new Promise<'timeout' | 'aborted'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
    onAbort = () => resolve('aborted');
    if (opts.signal?.aborted) onAbort();
    else opts.signal?.addEventListener('abort', onAbort, { once: true });
  });

  const lookup = async () => {
    const [a, aaaa, first] = await Promise.allSettled([resolver.resolve4(host), resolver.resolve6(host), resolver.resolveCname(host)]);
    // resolveCname gives one hop; users need the whole path (e.g. host -> lb.example.net -> elb...).
    const cname: string[] = [];
    if (first.status === 'fulfilled' && first.value[0]) {
      cname.push(first.value[0]);
      for (let hop = 1; hop < MAX_CNAME_HOPS; hop++) {
        const last = cname[cname.length - 1] as string;
        const next = await resolver.resolveCname(last).catch(() => [] as string[]);
        if (!next[0] || cname.includes(next[0])) break;
        cname.push(next[0]);
      }
    }
    return { a, aaaa, first, cname };
  };

  try {
    const outcome = await Promise.race([lookup(), cut]);
    if (outcome === 'timeout') return error(`no DNS answer within ${timeoutMs} ms`);
    if (outcome === 'aborted') return error('probe cancelled');
    const { a, aaaa, first, cname } = outcome;
    const addrsA = a.status === 'fulfilled' ? a.value : [];
    const addrsAAAA = aaaa.status === 'fulfilled' ? aaaa.value : [];
    if (addrsA.length || addrsAAAA.length) {
      return { status: 'ok', ...base(), a: [...addrsA].sort(), aaaa: [...addrsAAAA].sort(), cname };
    }
    const failures = [a, aaaa, first].flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    const hard = failures.find((e) => !NEGATIVE.has(code(e)));
    if (hard) return error(describe(hard));
    if (failures.some((e) => code(e) === 'ENOTFOUND')) return { status: 'nxdomain', ...base() };
    // A dangling CNAME: say where the chain ends, it is what has to be fixed (or removed).
    return { status: 'no-records', ...base(), ...(cname.length ? { cname } : {}) };
  } catch (e) {
    return error(describe(e));
  } finally {
    clearTimeout(timer);
    if (onAbort) opts.signal?.removeEventListener('abort', onAbort);
    // Drops queries still outstanding after a timeout or abort, so nothing lingers on the socket.
    resolver.cancel();
  }
}
