/**
 * Command-line parsing for `chainboard`, without a dependency: the grammar is small and the errors
 * should speak the user's words (`--from needs a path`), not a library's.
 */

import type { ProbeFlags } from '../probe/settings';
import { DEFAULT_NAMESPACE_PREFIX } from '../chain/options';

/** Options of `chainboard check`. */
export interface CheckOptions {
  /** Hosts to show (exact, lower-cased); empty means every domain. */
  hosts: string[];
  /** Dump files or folders (`--from`, repeatable). Empty means the live cluster, which is not built yet. */
  from: string[];
  namespacePrefix?: string;
  json: boolean;
  /** `--unhealthy`: only the domains whose health is not `healthy`. */
  unhealthy: boolean;
  /** `--summary`: one line per domain instead of its tree. */
  summary: boolean;
  /** `false` when `--no-color` was given; otherwise the terminal and NO_COLOR decide. */
  color?: false;
  /**
   * `--now`: analyse as of this moment. Unset: the dump's own time with `--from` (dumps are pictures of
   * the past), the wall clock for a live cluster.
   */
  now?: Date;
  /** Live mode: kubeconfig file (default: KUBECONFIG / ~/.kube/config). */
  kubeconfig?: string;
  /**
   * Live mode: `--context`, repeatable, each a cluster (`NAME=CONTEXT` names it; `*` is every context).
   * Empty: `CHAINBOARD_CONTEXTS`, else `CHAINBOARD_CONTEXT`, else the current context.
   */
  contexts: string[];
  /** Probe flags as given (validated with the environment by lib/probe/settings). */
  probeFlags: ProbeFlags;
  /** `--traefik-api`: read Traefik's runtime view once from this API (live mode). */
  traefikApi?: string;
}

/** What the command line asks for. A usage error carries the message and the help topic to point at. */
export type Invocation =
  | { command: 'help'; topic: 'main' | 'check' }
  | { command: 'version' }
  | { command: 'check'; options: CheckOptions }
  | { command: 'usage-error'; message: string; topic: 'main' | 'check' };

/** `chainboard --help`. */
export const MAIN_HELP = `chainboard - the Ingress -> Service -> EndpointSlice -> Pod chain of every client domain

Usage:
  chainboard check [HOST...] [--from DUMP] [options]
  chainboard check --help
  chainboard --help | --version

Commands:
  check    Show each domain's chain, its broken links with evidence, and the next command to run.

Exit codes: 0 every shown domain healthy, 1 the worst is degraded, 2 a domain is down,
3 an error (no kubeconfig, an unknown or invalid host), or a domain whose health is unknown.
`;

/** `chainboard check --help`. */
export const CHECK_HELP = `Usage: chainboard check [HOST...] [--from DUMP] [options]

Shows, for each public domain of the client namespaces, the chain
  domain -> TLS / DNS -> Ingress route -> Service port -> endpoints -> Pods
with the health of every link, then the findings with a hint (usually the kubectl command that
shows the evidence). Identical findings (one fault on several Pods, or a host's TLS finding repeated
per Ingress) are one entry: the code with ×N, the shared message, the objects, the first's hint.

Arguments:
  HOST                       Only these domains (exact host, e.g. app.my-client.junovy.com; * for
                             an Ingress default backend). Default: every domain.

Options:
  --from PATH                Read the cluster from a dump: a file or a folder of YAML/JSON as
                             \`kubectl get ingressclasses,ingress,svc,endpointslices,pods,events -A -o yaml\`
                             writes it (repeatable); add certificates, certificaterequests, orders,
                             challenges, issuers and clusterissuers for cert-manager's ACME chain.
                             Without --from: the live cluster of the kubeconfig.
  --kubeconfig FILE          Live mode: this kubeconfig (default: KUBECONFIG, ~/.kube/config, or in-cluster).
  --context NAME             Live mode: this kubeconfig context (default: CHAINBOARD_CONTEXTS, else the
                             current one). Repeat it for several clusters, each checked on its own under
                             its own heading: NAME is named after its context, NAME=CONTEXT names it,
                             '*' is every context of the kubeconfig. Remote kubeconfigs of
                             CHAINBOARD_REMOTE_KUBECONFIGS are checked beside them.
  --traefik-api URL          Live mode: read Traefik's routers, services and middlewares from its API
                             (CHAINBOARD_TRAEFIK_API); without it Traefik's view is not checked. With
                             several clusters it is the first cluster's Traefik.
  --namespace-prefix PREFIX  Analyse namespaces whose name starts with PREFIX (default ${DEFAULT_NAMESPACE_PREFIX}; '' for all).
  --unhealthy                Only the domains that are not healthy (degraded, down or unknown).
  --summary                  One line per domain: health, host, environment, the top finding.
  --json                     Print { domains, errors, clusters } as JSON (the shape of
                             GET /api/v1/domains/{host}, findingGroups beside the flat findings, each
                             domain's cluster); every error (an unknown host, an unreadable dump, no
                             cluster) is in errors[], and clusters[] says which clusters were read (ok).
  --no-color                 No colours (also off when NO_COLOR is set or stdout is not a terminal).
  --now TIME                 Analyse as of this ISO 8601 time (default: with --from, the newest time
                             recorded in the dump, so "5m ago" is counted from when it was taken; else now).

Certificate, DNS and HTTP probes (on by default; they only ever dial hosts of the cluster's Ingress rules, at
the Ingress status address or --probe-address; each flag has a CHAINBOARD_* variable of the same name):
  --no-probe                 No network checks (CHAINBOARD_PROBE=off).
  --probe-address ADDR       Dial this address (e.g. the Traefik Service) instead of the Ingress status.
  --probe-port PORT          TLS and HTTPS port (default 443).
  --dns-server IP[:PORT]     Ask this DNS server (repeatable; default: the system resolver).
  --probe-timeout-ms MS      Per-probe timeout (default 3000).
  --probe-concurrency N      Probes at once (default 8).
  --probe-ca-file PEM        Extra trusted roots (a private CA).
  --tls-expiring-fraction F  tls.cert-expiring below this fraction of the lifetime left (default 1/3).
  --http-slow-ms MS          http.slow above this HTTP check time (default 2000).
  -h, --help                 This help.

Exit codes: 0 every shown domain healthy, 1 the worst is degraded, 2 a domain is down,
3 an error (no kubeconfig, unreachable cluster, unreadable dump, bad document, unknown or invalid
host) or a domain whose health is unknown. With several clusters the worst of them all decides, and one
cluster that cannot be read is 3 while the others are still shown.

Examples:
  chainboard check --from samples/cluster --no-probe
  chainboard check app.my-client.junovy.com --from samples/cluster --no-probe
  chainboard check app.my-client.junovy.com --context prod
  chainboard check --summary --context eu=gke_acme_europe-west1_prod --context us=gke_acme_us-east1_prod
  chainboard check --unhealthy --summary
  chainboard check --from dump.yaml --json | jq '.domains[] | select(.health != "healthy") | .host'
`;

const PROBE_VALUE_FLAGS = [
  '--probe-address',
  '--probe-port',
  '--dns-server',
  '--probe-timeout-ms',
  '--probe-ttl-ms',
  '--probe-concurrency',
  '--probe-ca-file',
  '--tls-expiring-fraction',
  '--http-slow-ms',
] as const;
const VALUE_OPTIONS = new Set<string>(['--from', '--namespace-prefix', '--now', '--kubeconfig', '--context', '--traefik-api', ...PROBE_VALUE_FLAGS]);

/** Parse `process.argv.slice(2)`. Never throws; mistakes come back as a `usage-error`. */
export function parseArgs(argv: readonly string[]): Invocation {
  const [first, ...rest] = argv;
  if (first === undefined) return { command: 'usage-error', message: 'no command given', topic: 'main' };
  if (first === '-h' || first === '--help' || first === 'help') {
    return rest[0] === 'check' ? { command: 'help', topic: 'check' } : { command: 'help', topic: 'main' };
  }
  if (first === '--version' || first === '-v') return { command: 'version' };
  if (first !== 'check') {
    const what = first.startsWith('-') ? `unknown option ${first}` : `unknown command ${first}`;
    return { command: 'usage-error', message: what, topic: 'main' };
  }
  return parseCheck(rest);
}

function parseCheck(argv: readonly string[]): Invocation {
  const options: CheckOptions = { hosts: [], from: [], json: false, unhealthy: false, summary: false, contexts: [], probeFlags: {} };
  const fail = (message: string): Invocation => ({ command: 'usage-error', message, topic: 'check' });
  let onlyHosts = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (onlyHosts || !arg.startsWith('-') || arg === '-') {
      options.hosts.push(arg.toLowerCase());
      continue;
    }
    if (arg === '--') {
      onlyHosts = true;
      continue;
    }
    if (arg === '-h' || arg === '--help') return { command: 'help', topic: 'check' };
    if (arg === '--json') {
      options.json = true;
      continue;
    }
    if (arg === '--unhealthy' || arg === '--summary') {
      options[arg === '--unhealthy' ? 'unhealthy' : 'summary'] = true;
      continue;
    }
    if (arg === '--no-color' || arg === '--no-colour') {
      options.color = false;
      continue;
    }
    if (arg === '--probe' || arg === '--no-probe') {
      options.probeFlags[arg === '--probe' ? 'probe' : 'no-probe'] = true;
      continue;
    }
    // `--opt=value` and `--opt value`.
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (!VALUE_OPTIONS.has(name)) return fail(`unknown option ${name}`);
    let value: string | undefined;
    if (eq > 0) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      // A following option is not a value, except for the prefix, which may legitimately be empty.
      if (value === undefined || (value.startsWith('--') && value.length > 2)) return fail(`${name} needs a value`);
      i++;
    }
    switch (name) {
      case '--from':
        if (value === '') return fail('--from needs a path');
        options.from.push(value);
        break;
      case '--namespace-prefix':
        options.namespacePrefix = value;
        break;
      case '--kubeconfig':
        options.kubeconfig = value;
        break;
      case '--context':
        if (value === '') return fail('--context needs a context name');
        options.contexts.push(value);
        break;
      case '--traefik-api':
        options.traefikApi = value;
        break;
      case '--dns-server': {
        const prev = options.probeFlags['dns-server'];
        options.probeFlags['dns-server'] = [...(Array.isArray(prev) ? prev : []), value];
        break;
      }
      case '--probe-address':
      case '--probe-port':
      case '--probe-timeout-ms':
      case '--probe-ttl-ms':
      case '--probe-concurrency':
      case '--probe-ca-file':
      case '--tls-expiring-fraction':
      case '--http-slow-ms':
        options.probeFlags[name.slice(2) as (typeof PROBE_VALUE_FLAGS)[number] extends `--${infer F}` ? F : never] = value;
        break;
      case '--now': {
        const at = new Date(value);
        if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(at.getTime())) {
          return fail(`--now needs an ISO 8601 time such as 2026-11-26T09:30:00Z, not ${JSON.stringify(value)}`);
        }
        options.now = at;
        break;
      }
    }
  }
  // The JSON output is the engine's full objects, for jq to cut down; a one-line view of it is not JSON.
  if (options.summary && options.json) return fail('--summary and --json do not go together (try --json | jq)');
  return { command: 'check', options };
}
