/**
 * Phase 1: the synthetic cluster (or clusters), generated, written as a dump for the CLI, and served by
 * the demo Kubernetes API server (one per cluster).
 */
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startDemoServer, type DemoServer } from '../../demo/server';
import type { KubeObject } from '../../demo/resources';
import { syntheticCluster, type K8sObject } from '../synthetic';
import type { Bench } from './context';
import { healthyDomainPool, indexDomains, type DomainInfo } from './domains';
import { BROKEN_FRACTION, GATEWAY_EVERY, SEED } from './options';
import { fmtBytes, fmtMs, MB } from './stats';

/** One synthetic API server: a cluster of its own, named as Chainboard's CHAINBOARD_CONTEXTS names it. */
export interface SyntheticServer {
  /** The cluster's name in Chainboard (`default` with one cluster, the name Chainboard gives it). */
  name: string;
  /** Its context in the run's kubeconfig. */
  context: string;
  demo: DemoServer;
  namespaces: number;
  domains: number;
}

/** The cluster (or clusters) the later phases measure against. */
export interface SeededCluster {
  /** Objects per kind, over every cluster. */
  counts: Record<string, number>;
  warningEvents: number;
  /** Every domain of every cluster, each with the cluster serving it. */
  domains: DomainInfo[];
  hosts: string[];
  /** Domains served by an HTTPRoute (the rest by an Ingress). */
  gatewayDomains: number;
  /** Namespaces with at least one domain. */
  allNamespaces: number;
  /** A healthy domain no change has touched yet, each handed out once. */
  takeDomain: () => DomainInfo;
  generateMs: number;
  /** The dump of the (first) cluster, for the CLI; absent with several clusters, whose phases skip the CLI. */
  dumpDir?: string;
  dump?: { files: number; bytes: number };
  servers: SyntheticServer[];
  /** The first cluster's API server (the single-cluster phases run against it). */
  demo: DemoServer;
  /** The API server of the cluster a domain is in. */
  demoOf: (d: DomainInfo) => DemoServer;
  /** One kubeconfig with a context per cluster (the first is its current context). */
  kubeconfig: string;
  /** CHAINBOARD_CONTEXTS for the server: `name=context,...`; '' with one cluster. */
  contexts: string;
}

/** A kubeconfig with one context per API server, as kubectl writes a merged one. */
function kubeconfigOf(servers: readonly { context: string; url: string }[]): string {
  const lines = ['apiVersion: v1', 'kind: Config', 'clusters:'];
  for (const s of servers) lines.push(`- name: ${s.context}`, '  cluster:', `    server: ${s.url}`, '    insecure-skip-tls-verify: true');
  lines.push('users:');
  for (const s of servers) lines.push(`- name: ${s.context}`, '  user:', '    token: "demo-token"');
  lines.push('contexts:');
  for (const s of servers) lines.push(`- name: ${s.context}`, '  context:', `    cluster: ${s.context}`, `    user: ${s.context}`);
  lines.push(`current-context: ${servers[0]!.context}`, 'preferences: {}', '');
  return lines.join('\n');
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

/**
 * Generates the run's cluster(s): one, or with `--clusters N` N of `namespaces / N` client namespaces each,
 * numbered on from one cluster to the next (no host is served by two). A fifth of the domains are HTTPRoutes
 * unless `--ingress-only`. Writes the dump of a single cluster into `work`, serves each cluster from its
 * own demo API server, and writes one kubeconfig with a context per cluster.
 */
export async function seedCluster(bench: Bench, work: string): Promise<SeededCluster> {
  const { sizes, clusters, ingressOnly } = bench.options;
  const perCluster = Math.round(sizes.namespaces / clusters);
  const counts: Record<string, number> = {};
  let warningEvents = 0;
  let generateMs = 0;
  let dumpDir: string | undefined;
  let dump: SeededCluster['dump'];
  const domains: DomainInfo[] = [];
  const servers: SyntheticServer[] = [];
  for (let c = 0; c < clusters; c++) {
    let t = performance.now();
    const name = clusters === 1 ? 'default' : `cluster-${c + 1}`;
    const objects = syntheticCluster({
      namespaces: perCluster,
      domainsPerNamespace: sizes.domainsPerNamespace,
      podsPerDomain: sizes.podsPerDomain,
      brokenFraction: BROKEN_FRACTION,
      // Each cluster its own breakages; the first is the single cluster's first part.
      seed: SEED + c,
      events: 'realistic',
      gatewayEvery: ingressOnly ? 0 : GATEWAY_EVERY,
      firstNamespace: 1 + c * perCluster,
    });
    const own: Record<string, number> = {};
    for (const o of objects) own[o.kind] = (own[o.kind] ?? 0) + 1;
    for (const [k, n] of Object.entries(own)) counts[k] = (counts[k] ?? 0) + n;
    warningEvents += objects.filter((o) => o.kind === 'Event' && (o as { type?: string }).type === 'Warning').length;
    const ownDomains = indexDomains(objects, name);
    domains.push(...ownDomains);
    generateMs += performance.now() - t;
    console.error(`bench: ${clusters > 1 ? `${name}: ` : ''}generated ${objects.length} objects (${Object.entries(own).map(([k, n]) => `${n} ${k}`).join(', ')}) in ${fmtMs(performance.now() - t)}`);

    if (clusters === 1) {
      t = performance.now();
      dumpDir = join(work, 'dump');
      dump = writeDump(dumpDir, objects);
      console.error(`bench: wrote the dump (${dump.files} files, ${fmtBytes(dump.bytes)}) in ${fmtMs(performance.now() - t)}`);
    }

    t = performance.now();
    // The raw objects go out of scope with this loop: only the demo server's copy stays in memory.
    const demo = await startDemoServer({ objects: objects as unknown as KubeObject[], historyLimit: 100_000, bookmarkIntervalMs: 5_000 });
    bench.processes.onCleanup(`demo API server ${name}`, () => demo.close());
    servers.push({ name, context: clusters === 1 ? 'chainboard-demo' : `kind-${name}`, demo, namespaces: perCluster, domains: ownDomains.length });
    console.error(`bench: ${clusters > 1 ? `${name}: ` : ''}demo API server ${demo.url} seeded in ${fmtMs(performance.now() - t)}`);
  }
  const kubeconfig = join(work, 'kubeconfig');
  writeFileSync(kubeconfig, kubeconfigOf(servers.map((s) => ({ context: s.context, url: s.demo.url }))));
  const demoByCluster = new Map(servers.map((s) => [s.name, s.demo]));

  return {
    counts,
    warningEvents,
    domains,
    hosts: domains.map((d) => d.host),
    gatewayDomains: domains.filter((d) => d.route === 'HTTPRoute').length,
    allNamespaces: new Set(domains.map((d) => d.ns)).size,
    takeDomain: healthyDomainPool(domains, bench.rand),
    generateMs,
    dumpDir,
    dump,
    servers,
    demo: servers[0]!.demo,
    demoOf: (d) => demoByCluster.get(d.cluster)!,
    kubeconfig,
    contexts: clusters === 1 ? '' : servers.map((s) => `${s.name}=${s.context}`).join(','),
  };
}
