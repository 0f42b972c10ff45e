import 'server-only';
/**
 * Chainboard's one configuration: every setting of the web app (environment variables) and of
 * `chainboard check` (flags over the same variables), parsed and validated here and nowhere else.
 * Every problem is collected and reported at once, naming the variable or flag, so a misconfiguration is
 * fixed in one go rather than one restart per typo.
 *
 * The sections are parsed by the modules that own their meaning (probe settings by lib/probe/settings.ts,
 * the sign-in token by lib/auth/guard.ts, sharing by lib/share/config.ts); this module is the only one
 * that reads the environment for them, and the only place that says which variable feeds which section.
 *
 * | variable | section |
 * |---|---|
 * | `KUBECONFIG`, `CHAINBOARD_CONTEXT`, `CHAINBOARD_NAMESPACES`, `CHAINBOARD_DUMP`, `CHAINBOARD_READ_SECRETS`, `CHAINBOARD_CERT_MANAGER`, `CHAINBOARD_STALL_AFTER_SECONDS` | `cluster` |
 * | `CHAINBOARD_NAMESPACE_PREFIX` | `namespacePrefix` |
 * | `CHAINBOARD_TRAEFIK_API`, `CHAINBOARD_TRAEFIK_POLL_SECONDS` | `traefik` |
 * | `CHAINBOARD_TRAEFIK_MIDDLEWARES` | `cluster.middlewares` |
 * | `CHAINBOARD_TRAEFIK_INGRESSROUTES` | `cluster.ingressRoutes` |
 * | `CHAINBOARD_GATEWAY_API`, `CHAINBOARD_GATEWAY_NAMESPACES` | `cluster.gatewayApi` |
 * | `CHAINBOARD_PROBE*`, `CHAINBOARD_DNS_SERVERS`, `CHAINBOARD_TLS_EXPIRING_FRACTION` | `probe` |
 * | `CHAINBOARD_AUTH_TOKEN` | `auth` |
 * | `CHAINBOARD_TRUSTED_PROXIES` | `loginThrottle` |
 * | `CHAINBOARD_RENDER_CONCURRENCY`, `CHAINBOARD_RENDER_QUEUE`, `CHAINBOARD_RENDER_QUEUE_WAIT_MS` | `renderQueue` |
 * | `CHAINBOARD_SHARE_SECRET`, `CHAINBOARD_SHARE_REVOKED`, `CHAINBOARD_PUBLIC_URL` | `share` |
 * | `CHAINBOARD_HISTORY`, `CHAINBOARD_DATA_DIR`, `CHAINBOARD_DATABASE_URL`, `CHAINBOARD_HISTORY_DAYS`, `CHAINBOARD_CLUSTER_NAME`, `CHAINBOARD_DEMO_HISTORY` | `history` |
 *
 * @see https://kubernetes.io/docs/concepts/configuration/organize-cluster-access-kubeconfig/
 */
import { DEFAULT_NAMESPACE_PREFIX } from '../chain/options';
import { DEFAULT_STALL_AFTER_MS } from '../cluster/informer-options';
import { authSettings, type AuthSettings } from '../auth/guard';
import { loginThrottleSettings, type LoginThrottleSettings } from '../auth/throttle';
import { probeSettingsFromFlags, ProbeSettingsError, type ProbeFlags, type ProbeSettings, type ReadOptions } from '../probe/settings';
import { parsePublicUrl, parseRevoked, shareSettings, type ShareSettings } from '../share/config';
import { DEFAULT_TRAEFIK_INTERVAL_MS, DEFAULT_TRAEFIK_TIMEOUT_MS, type TraefikSettings } from '../traefik/settings';
import { renderQueueSettings, RenderQueueSettingsError, type RenderQueueSettings } from './shed';

export type Env = Record<string, string | undefined>;

/**
 * One cluster Chainboard watches. Its `name` is part of every identity: page URLs (`/c/{name}/...`), the
 * API's `cluster` field and parameter, share links, badges, metric labels and history keys.
 */
export interface ClusterTarget {
  /** A DNS label (a-z, 0-9, -; at most 63), unique among the targets. */
  name: string;
  /** A kubeconfig file of its own (a mounted remote-cluster Secret); unset: the live config's `kubeconfig`. */
  kubeconfig?: string;
  /** A context of the kubeconfig; unset: its current context (or the in-cluster ServiceAccount). */
  context?: string;
}

/** Where snapshots come from: the live clusters of kubeconfigs, or a dump loaded once. */
export type ClusterConfig =
  | {
      mode: 'live';
      /** A kubeconfig file; unset: `KUBECONFIG` (client-node merges its list), `~/.kube/config`, or in-cluster. */
      kubeconfig?: string;
      /** The clusters, at least one, in the order the overview lists them. */
      targets: ClusterTarget[];
      /**
       * `CHAINBOARD_CONTEXTS=*`: every context of the kubeconfig is a cluster, named after its context.
       * Expanded when the source starts (the kubeconfig is read then), replacing `targets`.
       */
      allContexts?: boolean;
      /**
       * `CHAINBOARD_REMOTE_KUBECONFIGS`: a folder of kubeconfig files (remote-cluster Secrets mounted in
       * the Pod), each a cluster named after its file, watched beside `targets`. Read when the source
       * starts.
       */
      remoteKubeconfigs?: string;
      /** Namespaces watched one by one (namespace-scoped Roles); unset: cluster-wide. */
      namespaces?: string[];
      /** Also read `kubernetes.io/tls` Secrets (their public certificate only). */
      readSecrets: boolean;
      /**
       * Also read cert-manager Certificates, and the request chain behind them (CertificateRequests,
       * Issuers, ClusterIssuers, ACME Orders and Challenges) to name the step a certificate is stuck at.
       */
      certManager: boolean;
      /** Also read Traefik Middlewares (traefik.io/v1alpha1). */
      middlewares: boolean;
      /** Also read Traefik IngressRoutes (traefik.io/v1alpha1) as routes. */
      ingressRoutes: boolean;
      /**
       * Also read the Gateway API (gateway.networking.k8s.io: GatewayClasses, Gateways, HTTPRoutes,
       * ReferenceGrants) as routes, with the namespaces outside the namespace list whose Gateways and
       * ReferenceGrants are read too (a shared `gateway` namespace); `undefined`: not read.
       */
      gatewayApi?: { gatewayNamespaces: string[] };
      /** Silence after which a watch counts as stalled and is renewed, in ms; 0 turns the watchdog off. */
      stallAfterMs: number;
    }
  | { mode: 'dump'; paths: string[]; /** The cluster the dump was taken from. */ name: string };

/** The sharing section: whether links can be signed, which are withdrawn, the public base URL. */
export interface ShareConfig {
  settings: ShareSettings;
  /** Link ids of `CHAINBOARD_SHARE_REVOKED`. */
  revoked: ReadonlySet<string>;
  /** `CHAINBOARD_PUBLIC_URL`, when it is an http(s) URL. */
  publicUrl?: URL;
}

/**
 * The domains' memory (lib/history): embedded PGlite in a data directory by default, a shared PostgreSQL
 * when a URL is given (several replicas), or off.
 */
export type HistoryConfig =
  | { enabled: false; reason: string }
  | {
      enabled: true;
      engine: { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string };
      retentionDays: number;
      /**
       * The first configured cluster: the one a single-cluster store's rows belong to (lib/history's
       * migration 2) and the one the history API assumes when nothing else tells. Every cluster is
       * recorded, each under its own name. With one cluster, or with `*` (named only when the source
       * starts), `CHAINBOARD_CLUSTER_NAME` (default `default`).
       */
      defaultCluster: string;
      /** Seed a generated 30-day past into an empty store, marked as demo data (`npm run demo` only). */
      demoPast: boolean;
    };

export const DEFAULT_HISTORY_DAYS = 90;
export const DEFAULT_DATA_DIR = './data';
export const DEFAULT_CLUSTER_NAME = 'default';

export interface Config {
  cluster: ClusterConfig;
  /** Which namespaces are client environments (`''`: all). */
  namespacePrefix: string;
  probe: ProbeSettings;
  /** The demo and the tests dial nothing outside 127.0.0.0/8 (`CHAINBOARD_PROBE_LOOPBACK_ONLY`). */
  probeLoopbackOnly: boolean;
  auth: AuthSettings;
  /** How failed sign-ins are counted per client (lib/auth/throttle.ts). */
  loginThrottle: LoginThrottleSettings;
  share: ShareConfig;
  /** How many page renders Next works on at once, and how many wait (lib/server/shed.ts). */
  renderQueue: RenderQueueSettings;
  history: HistoryConfig;
  /** Traefik's API, read on an interval; `undefined`: not configured, so Traefik's view is not checked. */
  traefik?: TraefikSettings;
}

/** Thrown by {@link parseConfig}; `problems` names each bad variable or flag. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** `chainboard check` flags that override variables of the same meaning. */
export interface ConfigFlags {
  namespacePrefix?: string;
  kubeconfig?: string;
  /** `--context`, repeatable: each context a cluster (several replace `CHAINBOARD_CONTEXTS`). */
  contexts?: string[];
  /** `--from`: dump files or folders; given (even empty), it replaces `CHAINBOARD_DUMP`. */
  from?: string[];
  probe?: ProbeFlags;
  /** `--traefik-api`: overrides `CHAINBOARD_TRAEFIK_API`. */
  traefikApi?: string;
}

/** `1`, `true`, `yes`, `on` (any case) switch a boolean variable on; anything else leaves it off. */
export function truthy(v: string | undefined): boolean {
  return v !== undefined && /^(1|true|yes|on)$/i.test(v.trim());
}

function list(v: string | undefined): string[] | undefined {
  const items = (v ?? '')
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  return items.length ? items : undefined;
}

/**
 * Parse and validate the whole configuration from the environment and, for the CLI, its flags (a flag
 * wins over its variable). Throws {@link ConfigError} listing every problem.
 */
export function parseConfig(env: Env, flags: ConfigFlags = {}, read: ReadOptions = {}): Config {
  const problems: string[] = [];
  let probe: ProbeSettings | undefined;
  try {
    probe = probeSettingsFromFlags(flags.probe ?? {}, env, read);
  } catch (e) {
    if (!(e instanceof ProbeSettingsError)) throw e;
    problems.push(...e.problems);
  }

  const namespacePrefix = flags.namespacePrefix ?? env.CHAINBOARD_NAMESPACE_PREFIX ?? DEFAULT_NAMESPACE_PREFIX;
  if (/[^a-z0-9-]/.test(namespacePrefix)) {
    problems.push(`${flags.namespacePrefix !== undefined ? '--namespace-prefix' : 'CHAINBOARD_NAMESPACE_PREFIX'} must be the start of a namespace name (a-z, 0-9, -), got "${namespacePrefix}"`);
  }

  const stall = env.CHAINBOARD_STALL_AFTER_SECONDS?.trim();
  let stallAfterMs = DEFAULT_STALL_AFTER_MS;
  if (stall) {
    if (/^\d{1,5}$/.test(stall) && (Number(stall) === 0 || Number(stall) >= 10)) stallAfterMs = Number(stall) * 1000;
    else problems.push(`CHAINBOARD_STALL_AFTER_SECONDS must be 0 (off) or a whole number of seconds from 10, got "${stall}"`);
  }

  const clusterName = env.CHAINBOARD_CLUSTER_NAME?.trim() || DEFAULT_CLUSTER_NAME;
  if (!isClusterName(clusterName)) problems.push(`CHAINBOARD_CLUSTER_NAME must be a DNS label (a-z, 0-9, -; at most 63), got "${clusterName}"`);
  // The CLI names its dumps with --from (none: the live cluster); the web app serves CHAINBOARD_DUMP.
  const dump = flags.from !== undefined ? (flags.from.length > 0 ? flags.from : undefined) : env.CHAINBOARD_DUMP ? [env.CHAINBOARD_DUMP] : undefined;
  const targets = clusterTargets(env, flags, clusterName, problems);
  const remote = env.CHAINBOARD_REMOTE_KUBECONFIGS?.trim();
  const cluster: ClusterConfig = dump
    ? { mode: 'dump', paths: dump, name: clusterName }
    : {
        mode: 'live',
        // KUBECONFIG may list several files; client-node's default loading merges them, so only the
        // flag's single file is passed on.
        kubeconfig: flags.kubeconfig,
        targets: targets.list,
        ...(targets.all ? { allContexts: true } : {}),
        ...(remote ? { remoteKubeconfigs: remote } : {}),
        namespaces: list(env.CHAINBOARD_NAMESPACES),
        readSecrets: truthy(env.CHAINBOARD_READ_SECRETS),
        certManager: truthy(env.CHAINBOARD_CERT_MANAGER),
        middlewares: truthy(env.CHAINBOARD_TRAEFIK_MIDDLEWARES),
        ingressRoutes: truthy(env.CHAINBOARD_TRAEFIK_INGRESSROUTES),
        ...(truthy(env.CHAINBOARD_GATEWAY_API) ? { gatewayApi: { gatewayNamespaces: list(env.CHAINBOARD_GATEWAY_NAMESPACES) ?? [] } } : {}),
        stallAfterMs,
      };

  let renderQueue: RenderQueueSettings | undefined;
  try {
    renderQueue = renderQueueSettings(env);
  } catch (e) {
    if (!(e instanceof RenderQueueSettingsError)) throw e;
    problems.push(...e.problems);
  }

  const throttle = loginThrottleSettings(env);
  if (!throttle.ok) problems.push(throttle.error);

  const history = historyConfig(env, cluster, problems);
  const traefik = traefikConfig(env, flags, problems);

  if (problems.length > 0 || !probe || !throttle.ok || !renderQueue) throw new ConfigError(problems);
  return {
    cluster,
    namespacePrefix,
    probe,
    probeLoopbackOnly: truthy(env.CHAINBOARD_PROBE_LOOPBACK_ONLY),
    auth: authSettings(env),
    loginThrottle: throttle.value,
    renderQueue,
    history,
    ...(traefik ? { traefik } : {}),
    share: { settings: shareSettings(env), revoked: parseRevoked(env.CHAINBOARD_SHARE_REVOKED), publicUrl: parsePublicUrl(env.CHAINBOARD_PUBLIC_URL) },
  };
}

/** Whether `name` can name a cluster: a DNS label, so it fits a URL segment, a metric label and a key. */
export function isClusterName(name: string): boolean {
  return /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(name);
}

/**
 * A cluster name made from a kubeconfig context's name (`gke_acme_europe-west1_prod`,
 * `arn:aws:eks:...:cluster/prod`): lower-cased, every run of other characters a `-`, at most 63.
 */
export function clusterNameOf(context: string): string {
  const name = context
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return name || 'cluster';
}

/**
 * The clusters of the live mode. `--context` (repeatable) wins over `CHAINBOARD_CONTEXTS`, which wins
 * over `CHAINBOARD_CONTEXT`. `CHAINBOARD_CONTEXTS` lists contexts, each named after its context or
 * `name=context`; `*` is every context of the kubeconfig. One context (or none) is one cluster named
 * `CHAINBOARD_CLUSTER_NAME`, so a single-cluster install keeps its name (and its history) as it grows.
 */
function clusterTargets(env: Env, flags: ConfigFlags, single: string, problems: string[]): { list: ClusterTarget[]; all: boolean } {
  const fromFlags = flags.contexts !== undefined && flags.contexts.length > 0;
  const variable = fromFlags ? '--context' : 'CHAINBOARD_CONTEXTS';
  const raw = fromFlags ? flags.contexts! : list(env.CHAINBOARD_CONTEXTS);
  if (!raw) return { list: [{ name: single, ...(env.CHAINBOARD_CONTEXT ? { context: env.CHAINBOARD_CONTEXT } : {}) }], all: false };
  if (!fromFlags && env.CHAINBOARD_CONTEXT) problems.push('CHAINBOARD_CONTEXT and CHAINBOARD_CONTEXTS exclude each other: list the one context in CHAINBOARD_CONTEXTS');
  if (raw.includes('*')) {
    if (raw.length > 1) problems.push(`${variable}: "*" (every context) stands alone, got "${raw.join(',')}"`);
    return { list: [], all: true };
  }
  if (raw.length === 1 && !raw[0]!.includes('=')) return { list: [{ name: single, context: raw[0]! }], all: false };
  const targets: ClusterTarget[] = [];
  for (const item of raw) {
    const eq = item.indexOf('=');
    const context = eq >= 0 ? item.slice(eq + 1) : item;
    const name = eq >= 0 ? item.slice(0, eq) : clusterNameOf(item);
    if (!context) problems.push(`${variable}: "${item}" names no context`);
    else if (!isClusterName(name)) problems.push(`${variable}: the cluster name "${name}" must be a DNS label (a-z, 0-9, -; at most 63)`);
    else if (targets.some((t) => t.name === name)) problems.push(`${variable}: two clusters are named "${name}"; name them with name=context`);
    else targets.push({ name, context });
  }
  return { list: targets, all: false };
}

/**
 * The history section. A dump is a moment, not a timeline, so it keeps no history; `CHAINBOARD_HISTORY=off`
 * turns it off for a live cluster too (the dashboard then says so instead of showing empty timelines).
 */
function historyConfig(env: Env, cluster: ClusterConfig, problems: string[]): HistoryConfig {
  const days = env.CHAINBOARD_HISTORY_DAYS?.trim();
  let retentionDays = DEFAULT_HISTORY_DAYS;
  if (days) {
    if (/^\d{1,4}$/.test(days) && Number(days) >= 1 && Number(days) <= 3650) retentionDays = Number(days);
    else problems.push(`CHAINBOARD_HISTORY_DAYS must be a whole number of days from 1 to 3650, got "${days}"`);
  }
  const url = env.CHAINBOARD_DATABASE_URL?.trim();
  if (url && !/^postgres(ql)?:\/\/[^\s]+$/.test(url)) {
    // The URL may hold a password: name the variable, never echo its value.
    problems.push('CHAINBOARD_DATABASE_URL must be a postgres:// or postgresql:// URL');
  }
  const name = (cluster.mode === 'live' && !cluster.allContexts ? cluster.targets[0]?.name : undefined) ?? (env.CHAINBOARD_CLUSTER_NAME?.trim() || DEFAULT_CLUSTER_NAME);
  const switchedOff = env.CHAINBOARD_HISTORY !== undefined && /^(0|false|no|off)$/i.test(env.CHAINBOARD_HISTORY.trim());
  if (switchedOff) return { enabled: false, reason: 'history is switched off (CHAINBOARD_HISTORY=off)' };
  if (cluster.mode === 'dump') return { enabled: false, reason: 'a dump is one moment: it has no history' };
  return {
    enabled: true,
    engine: url ? { kind: 'postgres', url } : { kind: 'pglite', dataDir: env.CHAINBOARD_DATA_DIR?.trim() || DEFAULT_DATA_DIR },
    retentionDays,
    defaultCluster: name,
    demoPast: truthy(env.CHAINBOARD_DEMO_HISTORY),
  };
}

/**
 * The Traefik section: the API's base URL (an http(s) URL without credentials, query or fragment) and
 * how often it is read. Unset: Traefik's view is not checked.
 */
function traefikConfig(env: Env, flags: ConfigFlags, problems: string[]): TraefikSettings | undefined {
  const name = flags.traefikApi !== undefined ? '--traefik-api' : 'CHAINBOARD_TRAEFIK_API';
  const raw = (flags.traefikApi ?? env.CHAINBOARD_TRAEFIK_API ?? '').trim();
  const poll = env.CHAINBOARD_TRAEFIK_POLL_SECONDS?.trim();
  let intervalMs = DEFAULT_TRAEFIK_INTERVAL_MS;
  if (poll) {
    if (/^\d{1,4}$/.test(poll) && Number(poll) >= 5 && Number(poll) <= 3600) intervalMs = Number(poll) * 1000;
    else problems.push(`CHAINBOARD_TRAEFIK_POLL_SECONDS must be a whole number of seconds from 5 to 3600, got "${poll}"`);
  }
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    problems.push(`${name} must be an http:// or https:// URL, got "${raw}"`);
    return undefined;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password || url.search || url.hash) {
    problems.push(`${name} must be an http:// or https:// URL without credentials, query or fragment, got "${raw}"`);
    return undefined;
  }
  return { api: raw.replace(/\/+$/, ''), intervalMs, timeoutMs: DEFAULT_TRAEFIK_TIMEOUT_MS };
}
