/**
 * Phase 1: the synthetic cluster, generated, written as a dump for the CLI, and served by the demo
 * Kubernetes API server.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startDemoServer, type DemoServer } from '../../demo/server';
import type { KubeObject } from '../../demo/resources';
import { syntheticCluster, type K8sObject } from '../synthetic';
import type { Bench } from './context';
import { healthyDomainPool, indexDomains, type DomainInfo } from './domains';
import { BROKEN_FRACTION, SEED } from './options';
import { fmtBytes, fmtMs, MB } from './stats';

/** The cluster the later phases measure against. */
export interface SeededCluster {
  /** Objects per kind. */
  counts: Record<string, number>;
  warningEvents: number;
  domains: DomainInfo[];
  hosts: string[];
  /** Namespaces with at least one domain. */
  allNamespaces: number;
  /** A healthy domain no change has touched yet, each handed out once. */
  takeDomain: () => DomainInfo;
  generateMs: number;
  dumpDir: string;
  dump: { files: number; bytes: number };
  demo: DemoServer;
  kubeconfig: string;
}

/**
 * Write the cluster as `kubectl get <kind> -A -o json > <kind>.json` would, one file per kind, item by item
 * (a 50,000-Pod list as one string would come close to V8's string length limit).
 */
function writeDump(dir: string, objects: K8sObject[]): { files: number; bytes: number } {
  mkdirSync(dir, { recursive: true });
  const kinds = [...new Set(objects.map((o) => o.kind))];
  let bytes = 0;
  for (const kind of kinds) {
    const fd = openSync(join(dir, `${kind.toLowerCase()}s.json`), 'w');
    const w = (s: string) => {
      bytes += Buffer.byteLength(s);
      writeSync(fd, s);
    };
    w('{\n    "apiVersion": "v1",\n    "items": [\n');
    let first = true;
    let buf = '';
    for (const o of objects) {
      if (o.kind !== kind) continue;
      const text = JSON.stringify(o, null, 4).replace(/\n/g, '\n        ');
      buf += `${first ? '' : ',\n'}        ${text}`;
      first = false;
      if (buf.length > 4 * MB) {
        w(buf);
        buf = '';
      }
    }
    w(`${buf}\n    ],\n    "kind": "List",\n    "metadata": {\n        "resourceVersion": ""\n    }\n}\n`);
    closeSync(fd);
  }
  return { files: kinds.length, bytes };
}

/** Generates the cluster of the run's size, writes its dump into `work` and serves it from the demo API server. */
export async function seedCluster(bench: Bench, work: string): Promise<SeededCluster> {
  const { sizes } = bench.options;
  let t = performance.now();
  const objects = syntheticCluster({
    namespaces: sizes.namespaces,
    domainsPerNamespace: sizes.domainsPerNamespace,
    podsPerDomain: sizes.podsPerDomain,
    brokenFraction: BROKEN_FRACTION,
    seed: SEED,
    events: 'realistic',
  });
  const counts: Record<string, number> = {};
  for (const o of objects) counts[o.kind] = (counts[o.kind] ?? 0) + 1;
  const warningEvents = objects.filter((o) => o.kind === 'Event' && (o as { type?: string }).type === 'Warning').length;
  const domains = indexDomains(objects);
  const generateMs = performance.now() - t;
  console.error(`bench: generated ${objects.length} objects (${Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(', ')}; ${warningEvents} Warning events) in ${fmtMs(generateMs)}`);

  t = performance.now();
  const dumpDir = join(work, 'dump');
  const dump = writeDump(dumpDir, objects);
  console.error(`bench: wrote the dump (${dump.files} files, ${fmtBytes(dump.bytes)}) in ${fmtMs(performance.now() - t)}`);

  t = performance.now();
  // The raw objects go out of scope with this function: only the demo server's copy stays in memory.
  const demo = await startDemoServer({ objects: objects as unknown as KubeObject[], historyLimit: 100_000, bookmarkIntervalMs: 5_000 });
  bench.processes.onCleanup('demo API server', () => demo.close());
  const kubeconfig = demo.writeKubeconfig(join(work, 'kubeconfig'));
  console.error(`bench: demo API server ${demo.url} seeded in ${fmtMs(performance.now() - t)}`);

  return {
    counts,
    warningEvents,
    domains,
    hosts: domains.map((d) => d.host),
    allNamespaces: new Set(domains.map((d) => d.ns)).size,
    takeDomain: healthyDomainPool(domains, bench.rand),
    generateMs,
    dumpDir,
    dump,
    demo,
    kubeconfig,
  };
}
