/**
 * `chainboard`: parse the command line, get a snapshot, analyse it with the same engine the web app
 * uses, and print the chains. Everything that touches the process (argv, streams, env, clock) comes in
 * through `CliIO`, so the whole command runs in tests without spawning.
 */
import pkg from '../../package.json';
import { analyze, probeRouteKind, routeProbeSources } from '../chain';
import type { DumpError } from '../cluster/dump';
import type { AnalysisResult, Health } from '../model/chain';
import { CHECK_HELP, MAIN_HELP, parseArgs, type CheckOptions } from './args';
import { palette, wantColor, type Palette } from './color';
import { renderDomain, renderNamespaceFindings, renderSummary } from './render';
import { acquireSnapshot } from './source';
import { dumpTime } from './dump-time';
import { namespaceSummaryLines, summaryLines } from './summary';
import { parseHost } from '../api/params';
import type { DomainDetail } from '../api/types';
import { domainDetail } from '../api/views';
import { probeAll, probeTargets } from '../probe';
import { parseConfig, type ClusterTarget, type Config } from '../server/config';
import { resolveTargets } from '../api/source';
import { KubeConfigError } from '../cluster/kubeconfig';

/** The process as the CLI sees it. */
export interface CliIO {
  /** Write to stdout (text is written as given: callers end lines). */
  out(text: string): void;
  err(text: string): void;
  env: Record<string, string | undefined>;
  /** Is stdout a terminal? */
  isTTY: boolean;
  now(): Date;
}

/** Exit codes: the worst shown domain decides; anything that could not be judged is 3. */
export const EXIT = { healthy: 0, degraded: 1, down: 2, error: 3 } as const;
const HEALTH_EXIT: Record<Health, number> = { healthy: 0, degraded: 1, down: 2, unknown: 3 };

/**
 * Why the output is incomplete, each with the one line the text output prints on stderr: a `document`
 * of a dump that was skipped, a `host` that is not valid or not found, a `source` that gave no snapshot
 * (no kubeconfig, an unreachable cluster, an unreadable dump), a `config` setting that is wrong, or a
 * prefix that matched no domain (`empty`). With several clusters, what one cluster caused names it in
 * `cluster`.
 */
export type CheckError = { cluster?: string } & (
  | ({ type: 'document' } & DumpError)
  | { type: 'host'; host: string; message: string }
  | { type: 'source' | 'config' | 'empty'; message: string }
);

/** A cluster the command looked at, and whether it could be read (`ok: false`: see its errors). */
export interface CheckedCluster {
  name: string;
  ok: boolean;
}

/**
 * The JSON output: the domains in the web API's shape (the engine's DomainChain with `findingGroups`
 * beside the flat `findings`, and the `cluster` it was read from), every error, and every cluster looked
 * at, in order (one for a dump or a single context).
 */
export interface CheckJson {
  domains: DomainDetail[];
  errors: CheckError[];
  clusters: CheckedCluster[];
}

/** Run `chainboard ARGS`; resolves to the exit code. Never throws for bad input. */
export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  const inv = parseArgs(argv);
  switch (inv.command) {
    case 'help':
      io.out(inv.topic === 'check' ? CHECK_HELP : MAIN_HELP);
      return 0;
    case 'version':
      io.out(`chainboard ${pkg.version}\n`);
      return 0;
    case 'usage-error':
      io.err(`chainboard: ${inv.message}\nRun 'chainboard ${inv.topic === 'check' ? 'check ' : ''}--help' for usage.\n`);
      return EXIT.error;
    case 'check':
      return check(inv.options, io);
  }
}

function describeError(e: CheckError): string {
  const of = e.cluster !== undefined ? `cluster ${e.cluster}: ` : '';
  if (e.type !== 'document') return `${of}${e.message}`;
  const where = e.document > 0 ? ` document ${e.document}${e.item !== undefined ? ` item ${e.item}` : ''}` : '';
  return `${of}skipped ${e.file}${where}: ${e.message}`;
}

/** One cluster's analysis, or why it has none. */
type ClusterRead =
  | { ok: true; result: AnalysisResult; problems: DumpError[]; description: string; now: Date; asOfDump?: Date }
  | { ok: false; message: string };

/** `chainboard check`. */
export async function check(o: CheckOptions, io: CliIO): Promise<number> {
  const errors: CheckError[] = [];
  // Every error goes to stderr as one line when it is met; with --json the same errors are in the JSON
  // too, so a script reading stdout learns why a host is missing from `domains`.
  const report = (e: CheckError) => {
    errors.push(e);
    io.err(`chainboard: ${describeError(e)}\n`);
  };
  const checked: CheckedCluster[] = [];
  const finish = (domains: DomainDetail[], code: number): number => {
    if (o.json) {
      const json: CheckJson = { domains, errors, clusters: checked };
      io.out(`${JSON.stringify(json, null, 2)}\n`);
    }
    return errors.length > 0 ? EXIT.error : code;
  };

  // The configuration first: a bad flag or variable is an error before any network traffic.
  let config: Config;
  try {
    config = parseConfig(io.env, { namespacePrefix: o.namespacePrefix, kubeconfig: o.kubeconfig, contexts: o.contexts.length > 0 ? o.contexts : undefined, from: o.from, probe: o.probeFlags, traefikApi: o.traefikApi });
  } catch (e) {
    report({ type: 'config', message: (e as Error).message });
    return finish([], EXIT.error);
  }

  // A host that cannot be a domain is named as such, not looked up as one that is missing.
  const hosts: string[] = [];
  for (const raw of o.hosts) {
    const parsed = parseHost(raw);
    if (parsed.ok) {
      if (!hosts.includes(parsed.value)) hosts.push(parsed.value);
    } else report({ type: 'host', host: raw, message: parsed.error });
  }
  if (o.hosts.length > 0 && hosts.length === 0) return finish([], EXIT.error);

  // The clusters: a dump is one; a live configuration is each of its contexts (`*` every one) and each
  // remote kubeconfig, as the web app watches them.
  let targets: ClusterTarget[];
  if (config.cluster.mode === 'dump') targets = [{ name: config.cluster.name }];
  else {
    try {
      targets = await resolveTargets(config.cluster, io.env);
    } catch (e) {
      report({ type: 'source', message: e instanceof KubeConfigError && e.problem === 'none' ? `${e.message}; pass --kubeconfig FILE, or --from DUMP to read a dump` : (e as Error).message });
      return finish([], EXIT.error);
    }
    if (targets.length === 0) {
      report({ type: 'source', message: 'no cluster to check: the kubeconfig has no contexts and CHAINBOARD_REMOTE_KUBECONFIGS holds no kubeconfig' });
      return finish([], EXIT.error);
    }
  }
  const several = targets.length > 1;

  // Every cluster is read at once (an unreachable one must not hold the others up), then each is
  // reported in the configured order.
  const reads = await Promise.all(targets.map((t, i) => readCluster(config, t, i === 0, hosts, o, io)));

  const p = palette(wantColor(o.color, io.env, io.isTTY));
  const sections: string[] = [];
  const details: DomainDetail[] = [];
  const known: string[] = [];
  const found = new Set<string>();
  let total = 0;
  let code: number = EXIT.healthy;
  const afterwards: CheckError[] = [];
  reads.forEach((read, i) => {
    const target = targets[i]!;
    const name = target.name;
    const of = several ? { cluster: name } : {};
    checked.push({ name, ok: read.ok });
    const blocks: string[] = [];
    if (several) blocks.push(heading(name, read.ok ? read.description : target.context ? `context ${target.context}` : target.kubeconfig, p));
    if (!read.ok) {
      report({ type: 'source', ...of, message: read.message });
      if (several) sections.push([...blocks, p.magenta(`not read: ${read.message}`)].join('\n\n'));
      return;
    }
    // Bad documents are reported and do not stop the analysis of the others.
    for (const e of read.problems) report({ type: 'document', ...of, ...e });
    const result = read.result;
    const prefix = result.namespacePrefix;
    total += result.domains.length;
    known.push(...result.domains.map((d) => d.host));

    let domains = result.domains;
    const absent: string[] = [];
    if (hosts.length > 0) {
      const byHost = new Map(result.domains.map((d) => [d.host, d]));
      domains = [];
      for (const h of hosts) {
        const d = byHost.get(h);
        if (d) {
          domains.push(d);
          found.add(h);
        } else if (several) absent.push(h);
        else afterwards.push({ type: 'host', host: h, message: `no domain ${h} in namespaces matching "${prefix}*"${suggest(h, result.domains.map((x) => x.host))}` });
      }
    } else if (result.domains.length === 0 && !several) {
      afterwards.push({ type: 'empty', message: `no domains found in namespaces matching "${prefix}*" (${result.namespaces.length} such namespaces)` });
    }
    const shown = o.unhealthy ? domains.filter((d) => d.health !== 'healthy') : domains;
    for (const d of shown) {
      details.push(domainDetail(d, name));
      code = Math.max(code, HEALTH_EXIT[d.health]);
    }
    if (o.json) return;

    // Namespace-level findings belong to no host: shown when the whole cluster is asked for.
    // With --unhealthy, only those that say something is wrong (an info finding is not).
    const namespaces =
      hosts.length === 0 ? result.namespaces.filter((ns) => ns.findings.some((f) => !o.unhealthy || f.severity !== 'info')) : [];
    if (o.summary) {
      const lines = [...summaryLines(shown, p, namespaces), ...namespaceSummaryLines(namespaces, shown, p)];
      if (lines.length) blocks.push(lines.join('\n'));
    } else {
      blocks.push(...shown.map((d) => renderDomain(d, read.now, p).join('\n')));
      for (const ns of namespaces) blocks.push(renderNamespaceFindings(ns, p).join('\n'));
    }
    const footer: string[] = [];
    if (shown.length > 0) {
      const hidden = domains.length - shown.length;
      footer.push(`${renderSummary(shown, p)}${hidden > 0 ? p.dim(` (${hidden} healthy not shown)`) : ''}`);
    } else if (o.unhealthy && domains.length > 0) {
      footer.push(p.green(domains.length === 1 ? 'the domain is healthy' : `all ${domains.length} domains are healthy`));
    } else if (several && hosts.length === 0) {
      footer.push(p.dim(`no domains in namespaces matching "${prefix}*" (${result.namespaces.length} such namespaces)`));
    }
    if (absent.length > 0) footer.push(p.dim(`not served by this cluster: ${absent.join(', ')}`));
    if (read.asOfDump && footer.length > 0) footer.push(p.dim(`as of ${read.asOfDump.toISOString().replace('.000Z', 'Z')}, the newest time recorded in the dump (--now to change)`));
    if (footer.length) blocks.push(footer.join('\n'));
    if (blocks.length) sections.push(blocks.join('\n\n'));
  });

  // What no cluster has: with one cluster, as its analysis found it; with several, a host none of the
  // clusters read serves, or no domain in any of them.
  for (const e of afterwards) report(e);
  if (several) {
    const read = reads.some((r) => r.ok);
    if (read) {
      for (const h of hosts) {
        if (!found.has(h)) report({ type: 'host', host: h, message: `no cluster read serves ${h}${suggest(h, known)}` });
      }
      if (hosts.length === 0 && total === 0) report({ type: 'empty', message: `no domains found in any cluster (${targets.map((t) => t.name).join(', ')})` });
    }
    if (!o.json) {
      const states = checked.map((c) => (c.ok ? c.name : p.magenta(`${c.name} not read`)));
      sections.push(`${p.bold(`${checked.length} clusters`)}: ${states.join(', ')}`);
    }
  }
  if (!o.json && sections.length) io.out(`${sections.join('\n\n')}\n`);
  return finish(details, code);
}

/** The line above a cluster's domains: its name, and where it was read from. */
function heading(name: string, description: string | undefined, p: Palette): string {
  return `${p.bold(`━━ cluster ${name}`)}${description ? p.dim(`  ${description}`) : ''}`;
}

/**
 * Read one cluster and analyse it: its snapshot, its probes (targets from its own route objects, only
 * the hosts asked for when some were named), Traefik's view for the first live cluster (the configured
 * API is one Traefik), and the time to judge it at.
 */
async function readCluster(config: Config, target: ClusterTarget, first: boolean, hosts: readonly string[], o: CheckOptions, io: CliIO): Promise<ClusterRead> {
  const settings = config.probe;
  const source = await acquireSnapshot(config.cluster, { target, env: io.env });
  if (!source.ok) return source;

  const prefixOpt = config.namespacePrefix;
  if (settings.enabled) {
    // Targets come only from the snapshot's route objects (hosts, status and Gateway addresses) or the
    // configured probe address; only the hosts asked for, when some were named.
    const wanted = hosts.length ? new Set(hosts) : undefined;
    const inPrefix = (o: { metadata: { namespace?: string } }) => (o.metadata.namespace ?? '').startsWith(prefixOpt);
    const snap = source.snapshot;
    const ingresses = routeProbeSources({
      ingresses: snap.ingresses.filter(inPrefix),
      ingressRoutes: (snap.ingressRoutes ?? []).filter(inPrefix),
      httpRoutes: (snap.httpRoutes ?? []).filter(inPrefix),
      gateways: snap.gateways ?? [],
    });
    const targets = probeTargets(ingresses, { enabled: true, port: settings.port, address: settings.address, routeKind: probeRouteKind }).filter(
      (t) => !wanted || wanted.has(t.host),
    );
    source.snapshot.probes = await probeAll(targets, settings);
  }

  // Traefik's view is of now: read once for a live cluster, never beside a dump of the past.
  if (config.traefik && config.cluster.mode === 'live' && first) {
    const { readTraefikView } = await import('../traefik/client');
    source.snapshot.traefik = await readTraefikView(config.traefik, io.now);
  }

  // A dump is a picture of the past: its ages and its clock-dependent rules are counted from when it
  // was taken (never later than now), unless --now says otherwise.
  const wallClock = io.now();
  const taken = config.cluster.mode === 'dump' && !o.now ? dumpTime(source.snapshot) : undefined;
  const asOfDump = taken !== undefined && taken.getTime() < wallClock.getTime() ? taken : undefined;
  const now = o.now ?? asOfDump ?? wallClock;
  const result = analyze(source.snapshot, { now, namespacePrefix: prefixOpt, tls: { expiringFraction: settings.expiringFraction }, http: { slowMs: settings.httpSlowMs } });
  return { ok: true, result, problems: source.problems, description: source.description, now, ...(asOfDump ? { asOfDump } : {}) };
}

/** `; did you mean X?` for the closest known host, when it is close enough to be a typo. */
function suggest(host: string, known: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const dist = distance(host, k);
    if (dist < bestDistance) [best, bestDistance] = [k, dist];
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(host.length / 5)) ? `; did you mean ${best}?` : '';
}

/** Levenshtein distance. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}
