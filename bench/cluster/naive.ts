/**
 * Phase 4, the naive way: what a kubectl-based script does for every request - list every kind from the
 * API server in pages of 500 (as kubectl does), slim, analyse, answer.
 */
import { performance } from 'node:perf_hooks';
import { domainView, overviewView } from '../../lib/api/views';
import type { SyncInfo } from '../../lib/api/types';
import { analyze, type AnalyzeOptions } from '../../lib/chain';
import { DEFAULT_NAMESPACE_PREFIX } from '../../lib/chain/options';
import { addToSnapshot } from '../../lib/cluster/dump';
import type { ResourceKind } from '../../lib/model/k8s';
import { slimObject } from '../../lib/model/slim';
import { emptySnapshot, type Snapshot } from '../../lib/model/snapshot';
import type { Bench } from './context';
import type { SeededCluster } from './seed';
import { fmtMs, median } from './stats';

/** Per-request times (ms) of each naive request type. */
export interface NaiveFigures {
  overview: number[];
  domain: number[];
  /** A smarter script: find the host's namespace in the Ingress (then HTTPRoute) list, then list only that namespace. */
  domainOneNamespace: number[];
}

/** A kind the script lists; `shared`: listed cluster-wide even for one namespace (cluster-scoped, or shared like Gateways). */
interface NaiveKind {
  kind: ResourceKind;
  path: string;
  shared?: boolean;
}

const NAIVE_KINDS: NaiveKind[] = [
  { kind: 'Namespace', path: '/api/v1/namespaces', shared: true },
  { kind: 'IngressClass', path: '/apis/networking.k8s.io/v1/ingressclasses', shared: true },
  { kind: 'Ingress', path: '/apis/networking.k8s.io/v1/ingresses' },
  { kind: 'Service', path: '/api/v1/services' },
  { kind: 'EndpointSlice', path: '/apis/discovery.k8s.io/v1/endpointslices' },
  { kind: 'Pod', path: '/api/v1/pods' },
  { kind: 'Event', path: '/api/v1/events' },
];

/** The Gateway API's kinds, listed too when the cluster has HTTPRoutes (Gateways live in a shared namespace). */
const GATEWAY_KINDS: NaiveKind[] = [
  { kind: 'GatewayClass', path: '/apis/gateway.networking.k8s.io/v1/gatewayclasses', shared: true },
  { kind: 'Gateway', path: '/apis/gateway.networking.k8s.io/v1/gateways', shared: true },
  { kind: 'HTTPRoute', path: '/apis/gateway.networking.k8s.io/v1/httproutes' },
  { kind: 'ReferenceGrant', path: '/apis/gateway.networking.k8s.io/v1beta1/referencegrants', shared: true },
];

const NAIVE_SYNC: SyncInfo = { ready: true, kinds: [] };

/** List a collection as kubectl does: pages of 500 (`--chunk-size`), JSON. */
async function listAll(api: string, path: string): Promise<unknown[]> {
  const items: unknown[] = [];
  let cont = '';
  do {
    const res = await fetch(`${api}${path}?limit=500${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`, { headers: { authorization: 'Bearer demo-token', accept: 'application/json' } });
    if (!res.ok) throw new Error(`naive list ${path}: HTTP ${res.status}`);
    const page = (await res.json()) as { items?: unknown[]; metadata?: { continue?: string } };
    for (const it of page.items ?? []) items.push(it);
    cont = page.metadata?.continue ?? '';
  } while (cont);
  return items;
}

async function naiveSnapshot(api: string, kinds: readonly NaiveKind[], namespace?: string): Promise<Snapshot> {
  const snap = emptySnapshot();
  for (const k of kinds) {
    const path = namespace && !k.shared ? k.path.replace(/\/([a-z]+)$/, `/namespaces/${namespace}/$1`) : k.path;
    for (const raw of await listAll(api, path)) {
      const r = slimObject(raw, k.kind);
      if (r.ok) addToSnapshot(snap, r.object);
    }
  }
  return snap;
}

/** Times the naive overview, the naive domain and the smarter one-namespace script against the demo server. */
export async function measureNaive(bench: Bench, cluster: SeededCluster): Promise<NaiveFigures> {
  const runs = bench.options.sizes.naiveRuns;
  const api = cluster.demo.url;
  console.error(`bench: the naive way (${runs} runs per request type)...`);
  const naive: NaiveFigures = { overview: [], domain: [], domainOneNamespace: [] };
  const analyzeOpts = (): AnalyzeOptions => ({ now: new Date(), namespacePrefix: DEFAULT_NAMESPACE_PREFIX });
  const kinds = cluster.gatewayDomains > 0 ? [...NAIVE_KINDS, ...GATEWAY_KINDS] : NAIVE_KINDS;
  for (let i = 0; i < runs; i++) {
    let t0 = performance.now();
    let s = await naiveSnapshot(api, kinds);
    JSON.stringify(overviewView([{ name: 'bench', result: analyze(s, analyzeOpts()), sync: NAIVE_SYNC }], NAIVE_SYNC, { offset: 0, limit: 100 }));
    naive.overview.push(performance.now() - t0);
    const d = bench.pick(cluster.domains);
    t0 = performance.now();
    s = await naiveSnapshot(api, kinds);
    const view = domainView([{ name: 'bench', result: analyze(s, analyzeOpts()), sync: NAIVE_SYNC }], d.host);
    if (!view) throw new Error(`naive: no domain ${d.host}`);
    JSON.stringify(view);
    naive.domain.push(performance.now() - t0);
    t0 = performance.now();
    const ings = await listAll(api, '/apis/networking.k8s.io/v1/ingresses');
    type Route = { metadata: { namespace: string }; spec?: { rules?: { host?: string }[]; hostnames?: string[] } };
    let ns = (ings as Route[]).find((o) => o.spec?.rules?.some((r) => r.host === d.host))?.metadata.namespace;
    // Not an Ingress's: the script looks among the HTTPRoutes next.
    if (!ns && cluster.gatewayDomains > 0) ns = ((await listAll(api, GATEWAY_KINDS[2]!.path)) as Route[]).find((o) => o.spec?.hostnames?.includes(d.host))?.metadata.namespace;
    if (!ns) throw new Error(`naive: no Ingress or HTTPRoute for ${d.host}`);
    s = await naiveSnapshot(api, kinds, ns);
    JSON.stringify(domainView([{ name: 'bench', result: analyze(s, analyzeOpts()), sync: NAIVE_SYNC }], d.host));
    naive.domainOneNamespace.push(performance.now() - t0);
  }
  console.error(`bench: naive overview ${fmtMs(median(naive.overview))}, naive domain ${fmtMs(median(naive.domain))}`);
  return naive;
}
