/**
 * `chainboard`: parse the command line, get a snapshot, analyse it with the same engine the web app
 * uses, and print the chains. Everything that touches the process (argv, streams, env, clock) comes in
 * through `CliIO`, so the whole command runs in tests without spawning.
 */
import pkg from '../../package.json';
import { analyze } from '../chain';
import type { DumpError } from '../cluster/dump';
import type { DomainChain, Health } from '../model/chain';
import { CHECK_HELP, MAIN_HELP, parseArgs, type CheckOptions } from './args';
import { palette, wantColor } from './color';
import { renderDomain, renderNamespaceFindings, renderSummary } from './render';
import { acquireSnapshot } from './source';
import { probeAll, probeTargets } from '../probe';
import { parseConfig, type Config } from '../server/config';

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

/** The JSON output: the engine's DomainChain objects (the web API's shape) and the dump's bad documents. */
export interface CheckJson {
  domains: DomainChain[];
  errors: DumpError[];
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

function describeError(e: DumpError): string {
  const where = e.document > 0 ? ` document ${e.document}${e.item !== undefined ? ` item ${e.item}` : ''}` : '';
  return `${e.file}${where}: ${e.message}`;
}

/** `chainboard check`. */
export async function check(o: CheckOptions, io: CliIO): Promise<number> {
  // The configuration first: a bad flag or variable is an error before any network traffic.
  let config: Config;
  try {
    config = parseConfig(io.env, { namespacePrefix: o.namespacePrefix, kubeconfig: o.kubeconfig, context: o.context, from: o.from, probe: o.probeFlags });
  } catch (e) {
    io.err(`chainboard: ${(e as Error).message}\n`);
    return EXIT.error;
  }
  const settings = config.probe;
  const source = await acquireSnapshot(config.cluster, { env: io.env });
  if (!source.ok) {
    io.err(`chainboard: ${source.message}\n`);
    return EXIT.error;
  }
  // Bad documents are reported first and do not stop the analysis of the others.
  for (const e of source.problems) io.err(`chainboard: skipped ${describeError(e)}\n`);

  const prefixOpt = config.namespacePrefix;
  if (settings.enabled) {
    // Targets come only from the snapshot's Ingress objects (hosts and status addresses) or the
    // configured probe address; only the hosts asked for, when some were named.
    const wanted = o.hosts.length ? new Set(o.hosts) : undefined;
    const ingresses = source.snapshot.ingresses.filter((i) => (i.metadata.namespace ?? '').startsWith(prefixOpt));
    const targets = probeTargets(ingresses, { enabled: true, port: settings.port, address: settings.address }).filter(
      (t) => !wanted || wanted.has(t.host),
    );
    source.snapshot.probes = await probeAll(targets, settings);
  }

  const now = o.now ?? io.now();
  const result = analyze(source.snapshot, { now, namespacePrefix: prefixOpt, tls: { expiringFraction: settings.expiringFraction } });
  const prefix = result.namespacePrefix;

  const unknownHosts: string[] = [];
  let domains = result.domains;
  if (o.hosts.length > 0) {
    const byHost = new Map(result.domains.map((d) => [d.host, d]));
    domains = [];
    for (const h of new Set(o.hosts)) {
      const d = byHost.get(h);
      if (d) domains.push(d);
      else unknownHosts.push(h);
    }
  }

  if (o.json) {
    const json: CheckJson = { domains, errors: source.problems };
    io.out(`${JSON.stringify(json, null, 2)}\n`);
  } else {
    const p = palette(wantColor(o.color, io.env, io.isTTY));
    const blocks = domains.map((d) => renderDomain(d, now, p).join('\n'));
    // Namespace-level findings belong to no host: shown when the whole cluster is asked for.
    if (o.hosts.length === 0) {
      for (const ns of result.namespaces) {
        const lines = renderNamespaceFindings(ns, p);
        if (lines.length) blocks.push(lines.join('\n'));
      }
    }
    if (domains.length > 0) blocks.push(renderSummary(domains, p));
    if (blocks.length) io.out(`${blocks.join('\n\n')}\n`);
  }

  const known = result.domains.map((d) => d.host);
  for (const h of unknownHosts) io.err(`chainboard: no domain ${h} in namespaces matching "${prefix}*"${suggest(h, known)}\n`);
  if (o.hosts.length === 0 && result.domains.length === 0) {
    io.err(`chainboard: no domains found in namespaces matching "${prefix}*" (${result.namespaces.length} such namespaces)\n`);
    return EXIT.error;
  }

  let code: number = EXIT.healthy;
  for (const d of domains) code = Math.max(code, HEALTH_EXIT[d.health]);
  if (unknownHosts.length > 0 || source.problems.length > 0) code = EXIT.error;
  return code;
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
