/** The sizes of the read API's answers: the overview's default page, its full list, one domain. */
import { gzipSync } from 'node:zlib';
import type { Bench } from './context';
import { domainPath } from './domains';
import type { SeededCluster } from './seed';
import { getJson } from './server';

/** Payload sizes in bytes, and the overview's row counts. */
export interface Payloads {
  overviewDefaultBytes: number;
  overviewDefaultGzipBytes: number;
  overviewDefaultRows: number;
  overviewAllBytes: number;
  overviewAllGzipBytes: number;
  overviewAllRows: number;
  domainBytes: number;
}

/** Fetches the payloads once; an overview that counts other domains (or clusters) than were seeded is an error. */
export async function measurePayloads(bench: Bench, base: string, cluster: SeededCluster): Promise<Payloads> {
  const overviewDefault = await getJson(`${base}/api/v1/overview`);
  const overviewAll = await getJson(`${base}/api/v1/overview?limit=1000`);
  const someDomain = await getJson(`${base}${domainPath(cluster, cluster.domains[0]!)}`);
  for (const [name, r] of [['overview', overviewDefault], ['overview?limit=1000', overviewAll], ['domain', someDomain]] as const) {
    if (r.status !== 200) throw new Error(`GET ${name}: HTTP ${r.status}: ${r.text.slice(0, 300)}`);
  }
  const overviewJson = JSON.parse(overviewAll.text) as { totals: { namespaces: number; domains: number; domainHealth: Record<string, number> }; clusters: { name: string; domains: number }[]; namespaces: unknown[] };
  if (overviewJson.totals.domains !== cluster.domains.length) bench.errors.push(`the API serves ${overviewJson.totals.domains} domains, the cluster has ${cluster.domains.length}`);
  const served = overviewJson.clusters.map((c) => `${c.name}: ${c.domains}`).join(', ');
  const seeded = cluster.servers.map((c) => `${c.name}: ${c.domains}`).join(', ');
  if (served !== seeded) bench.errors.push(`the API serves the clusters ${served}, the run seeded ${seeded}`);
  return {
    overviewDefaultBytes: Buffer.byteLength(overviewDefault.text),
    overviewDefaultGzipBytes: gzipSync(overviewDefault.text).length,
    overviewDefaultRows: (JSON.parse(overviewDefault.text) as { namespaces: unknown[] }).namespaces.length,
    overviewAllBytes: Buffer.byteLength(overviewAll.text),
    overviewAllGzipBytes: gzipSync(overviewAll.text).length,
    overviewAllRows: overviewJson.namespaces.length,
    domainBytes: Buffer.byteLength(someDomain.text),
  };
}
