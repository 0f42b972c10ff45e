/**
 * SSRF: no request parameter makes Chainboard look up or connect to anything. Every way a request can
 * name a host (a path, a query, a JSON body, the Host and forwarding headers, an absolute-form target, a
 * validly signed share token, Next's image optimizer) names a foreign host of its own, so a lookup or a
 * handshake seen at the relays tells which way leaked. Meanwhile the server's sockets are sampled: every
 * outgoing one must go to the demo API server or one of the relays.
 */
import type { BatteryEnv } from './env';
import { rawRequest, statusTally, type RawRequest } from './http';
import { verdict, type Check } from './report';
import { signShareToken } from './share';
import { pidListeningOn, sampleSockets } from './sockets';

/** How long probes the requests might have queued get to run before the relays are read. */
const SETTLE_MS = 4000;

/** Each way of naming a host, with the foreign name it uses (`ssrf-<way>.example.com`). */
function attacks(env: BatteryEnv): RawRequest[] {
  const h = (way: string) => `ssrf-${way}.example.com`;
  const known = env.hosts[0]!;
  const json = { ...env.auth, 'content-type': 'application/json' };
  const soon = Math.floor(Date.now() / 1000) + 3600;
  const token = signShareToken(env.shareSecret, h('token'), soon);
  return [
    { target: `/d/${h('page')}` },
    { target: `/d/${h('og')}/opengraph-image` },
    { target: `/ns/${h('ns')}` },
    { target: `/api/v1/domains/${h('api')}` },
    { target: `/api/v1/domains/${h('badge')}/badge.svg` },
    { target: `/api/v1/namespaces/${h('nsapi')}` },
    { method: 'POST', target: '/api/v1/share', headers: json, body: JSON.stringify({ host: h('share'), ttl: '1h' }) },
    { method: 'POST', target: '/api/v1/share', headers: { ...json, host: h('sharehost') }, body: JSON.stringify({ host: known, ttl: '1h' }) },
    { target: '/', headers: { host: h('host') } },
    { target: `/d/${known}`, headers: { 'x-forwarded-host': h('xfh'), 'x-forwarded-proto': 'https', forwarded: `host=${h('fwd')};proto=https` } },
    { target: `/d/${known}/opengraph-image`, headers: { host: h('oghost'), 'x-forwarded-host': h('ogxfh') } },
    { target: `/?host=${h('query')}` },
    { target: `/api/v1/overview?host=${h('queryapi')}` },
    { target: `/d/${known}?host=${h('querypage')}&focus=Service/${h('focus')}` },
    { target: `http://${h('absolute')}/` },
    { target: `http://${h('absapi')}/api/v1/overview` },
    { target: `http://${h('abspage')}/d/${h('abspage')}` },
    { target: `/share/${token}` },
    { target: `/api/v1/share/${token}/badge.svg` },
    { target: `/_next/image?url=${encodeURIComponent(`http://${h('image')}/a.png`)}&w=64&q=75` },
    { target: `/_next/image?url=${encodeURIComponent('http://169.254.169.254/latest/meta-data/')}&w=64&q=75` },
    { target: '/d/169.254.169.254' },
    { target: '/api/v1/domains/10.11.12.13' },
    { method: 'POST', target: '/api/login', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `token=wrong&next=${encodeURIComponent(`http://${h('login')}/`)}` },
  ].map((r) => ({ ...r, headers: { ...env.auth, ...r.headers } }));
}

/** Requests naming foreign hosts cause no DNS query, no TLS handshake and no socket outside the cluster. */
export const ssrfCheck: Check<BatteryEnv> = {
  name: 'ssrf-no-foreign-lookups-or-connections',
  timeoutMs: 90_000,
  async run(env) {
    const pid = pidListeningOn(env.port);
    if (pid === undefined) throw new Error(`no process seen listening on port ${env.port}`);
    const dnsFrom = env.dnsRelay.queries().length;
    const tlsFrom = env.tlsRelay.handshakes().length;
    const sampler = sampleSockets(pid, env.port, env.clusterPorts);
    const sent = attacks(env);
    const statuses: (number | string)[] = [];
    for (const req of sent) {
      statuses.push(await rawRequest(env.port, req).then((r) => r.status, (e: Error) => `error(${e.message})`));
    }
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    const sockets = sampler.stop();
    const cluster = new Set(env.hosts);
    const names = env.dnsRelay.queries().slice(dnsFrom);
    const snis = env.tlsRelay.handshakes().slice(tlsFrom);
    const foreignNames = [...new Set(names.filter((n) => !cluster.has(n)))];
    const foreignSni = [...new Set(snis.filter((n) => !cluster.has(n)))];
    const evidence = [
      `${sent.length} requests naming foreign hosts (${statusTally(statuses)})`,
      `DNS server got ${names.length} queries: ${foreignNames.length ? `FOREIGN ${foreignNames.join(', ')}` : `all for cluster hosts (${new Set(names).size} names)`}`,
      `${snis.length} TLS handshakes: ${foreignSni.length ? `FOREIGN SNI ${foreignSni.join(', ')}` : 'all with cluster SNI'}`,
      `${sockets.samples} socket samples of pid ${pid}: ${
        sockets.unexpected.length ? `UNEXPECTED peers ${sockets.unexpected.join(', ')}` : `${sockets.outbound.size} outgoing sockets, all to the demo API/DNS/TLS ports`
      }`,
    ].join('; ');
    const answered = statuses.every((s) => typeof s === 'number');
    return verdict(answered && !foreignNames.length && !foreignSni.length && !sockets.unexpected.length, evidence);
  },
};
