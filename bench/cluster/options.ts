/**
 * The benchmark's command line: its sizes, its flags and where its results go, parsed once.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The checkout's root: the server, the CLI and the build are found from here. */
export const ROOT = resolve(__dirname, '..', '..');
/** Share of the synthetic domains with something broken. */
export const BROKEN_FRACTION = 0.05;
/** Seed of the synthetic cluster and of every random pick the benchmark makes. */
export const SEED = 42;

/** The sizes and load phases of one mode (these fields are the results JSON's `config`). */
export interface BenchSizes {
  namespaces: number;
  domainsPerNamespace: number;
  podsPerDomain: number;
  seqSeconds: number;
  pacedSeconds: number;
  loadSeconds: number;
  connections: number;
  pacedRate: number;
  changes: number;
  inProcessChanges: number;
  naiveRuns: number;
}

const SMALL_SIZES: BenchSizes = { namespaces: 20, domainsPerNamespace: 10, podsPerDomain: 10, seqSeconds: 2, pacedSeconds: 3, loadSeconds: 4, connections: 10, pacedRate: 100, changes: 20, inProcessChanges: 10, naiveRuns: 5 };
const FULL_SIZES: BenchSizes = { namespaces: 500, domainsPerNamespace: 10, podsPerDomain: 10, seqSeconds: 8, pacedSeconds: 10, loadSeconds: 20, connections: 10, pacedRate: 100, changes: 50, inProcessChanges: 20, naiveRuns: 3 };

/** The server's NODE_OPTIONS and where they come from. */
export interface NodeOptionsSetting {
  value: string;
  from: string;
}

/** Every `GATEWAY_EVERY`-th synthetic domain is an HTTPRoute (a fifth), unless `--ingress-only`. */
export const GATEWAY_EVERY = 5;

/** Everything the command line decides. */
export interface BenchOptions {
  /** `--small`: the CI size. */
  small: boolean;
  mode: 'small' | 'full';
  /**
   * `--clusters N`: N synthetic API servers, each with `namespaces / N` of the mode's namespaces, and
   * one Chainboard over all of them (CHAINBOARD_CONTEXTS). Default 1.
   */
  clusters: number;
  /** `--ingress-only`: every domain an Ingress (the cluster before HTTPRoutes were mixed in), for comparison. */
  ingressOnly: boolean;
  /** The results file's name: the mode, `-ingress-only`, `-clusters<N>` (`full`, `full-clusters2`). */
  label: string;
  /** `--no-build`: a stale production build is used with a warning instead of being rebuilt. */
  noBuild: boolean;
  /** `--strict`: a missed target fails the run. */
  strict: boolean;
  /** `--cpu-prof DIR`: profile the server processes (node --cpu-prof), profiles written to DIR when they exit. */
  cpuProf?: string;
  serverNodeOptions: NodeOptionsSetting;
  sizes: BenchSizes;
  /** The folder of `<mode>.json`. */
  resultsDir: string;
}

/** The value after `flag`, when the flag is given. */
function flagValue(argv: readonly string[], flag: string): { value: string | undefined } | undefined {
  const i = argv.indexOf(flag);
  return i >= 0 ? { value: argv[i + 1] } : undefined;
}

/**
 * The server's NODE_OPTIONS: as the deployment sets them (deploy/base/deployment.yaml: the heap cap the
 * container's memory limit is sized for), unless `--node-options "..."` says otherwise ('' for none).
 */
function serverNodeOptions(argv: readonly string[]): NodeOptionsSetting {
  const flag = flagValue(argv, '--node-options');
  if (flag) return { value: flag.value ?? '', from: '--node-options' };
  try {
    const m = /name:\s*NODE_OPTIONS\s*\n\s*value:\s*"?([^"\n]*)"?/.exec(readFileSync(join(ROOT, 'deploy/base/deployment.yaml'), 'utf8'));
    if (m) return { value: m[1]!.trim(), from: 'deploy/base/deployment.yaml' };
  } catch {
    /* no deployment manifest */
  }
  return { value: '', from: 'none' };
}

/**
 * `--results DIR`, else the committed figures' folder bench/results/ for a full run. A `--small` run
 * writes under test-results/ by default, so a smoke run never rewrites a tracked file.
 */
function resultsDir(argv: readonly string[], small: boolean): string {
  const flag = flagValue(argv, '--results');
  if (flag?.value) return resolve(flag.value);
  return join(ROOT, small ? 'test-results/bench' : 'bench/results');
}

/** Parses the benchmark's flags (`process.argv`). */
export function parseOptions(argv: readonly string[]): BenchOptions {
  const small = argv.includes('--small');
  const cpuProf = flagValue(argv, '--cpu-prof');
  const clustersFlag = flagValue(argv, '--clusters');
  const clusters = clustersFlag ? Number(clustersFlag.value) : 1;
  if (!Number.isInteger(clusters) || clusters < 1 || clusters > 4) throw new Error(`--clusters takes 1 to 4, got ${clustersFlag?.value ?? 'nothing'}`);
  const ingressOnly = argv.includes('--ingress-only');
  const mode = small ? 'small' : 'full';
  return {
    small,
    mode,
    clusters,
    ingressOnly,
    label: `${mode}${ingressOnly ? '-ingress-only' : ''}${clusters > 1 ? `-clusters${clusters}` : ''}`,
    noBuild: argv.includes('--no-build'),
    strict: argv.includes('--strict'),
    cpuProf: cpuProf ? resolve(cpuProf.value ?? 'bench/results/profiles') : undefined,
    serverNodeOptions: serverNodeOptions(argv),
    sizes: small ? SMALL_SIZES : FULL_SIZES,
    resultsDir: resultsDir(argv, small),
  };
}
