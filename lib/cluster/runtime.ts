import 'server-only';
/**
 * One LiveSource and AnalysisStore per process, configured from the environment and kept on globalThis,
 * so Next's dev hot reload (which re-evaluates modules) does not start a second set of watches.
 *
 * Environment:
 * - `KUBECONFIG` (or `~/.kube/config`, or the in-cluster ServiceAccount), `CHAINBOARD_CONTEXT`;
 * - `CHAINBOARD_NAMESPACES`: comma- or space-separated namespaces to watch one by one (namespace-scoped
 *   RBAC); unset means cluster-wide;
 * - `CHAINBOARD_NAMESPACE_PREFIX`: which namespaces are analysed (default `hst-`; empty means all);
 * - `CHAINBOARD_READ_SECRETS=1`: also read `kubernetes.io/tls` Secrets (their public certificate only);
 * - `CHAINBOARD_CERT_MANAGER=1`: also read cert-manager Certificates (needs the CRD and its RBAC).
 *
 * @see https://kubernetes.io/docs/concepts/configuration/organize-cluster-access-kubeconfig/
 */
import { LiveSource, loadKubeConfig } from './live';
import { AnalysisStore, type AnalysisStoreOptions } from './store';

export interface RuntimeConfig {
  kubeconfig?: string;
  context?: string;
  namespaces?: string[];
  namespacePrefix: string;
  withSecrets: boolean;
  withCertificates?: boolean;
}

export interface Runtime {
  config: RuntimeConfig;
  source: LiveSource;
  store: AnalysisStore;
  /** Stop the watches and forget the singleton. */
  stop(): Promise<void>;
}

const truthy = (v: string | undefined) => v !== undefined && /^(1|true|yes|on)$/i.test(v.trim());

/** Read the runtime configuration from environment variables. */
export function runtimeConfigFromEnv(env: Record<string, string | undefined> = process.env): RuntimeConfig {
  const namespaces = (env.CHAINBOARD_NAMESPACES ?? '')
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  return {
    // KUBECONFIG may list several files; client-node's default loading merges them, so it is not passed here.
    context: env.CHAINBOARD_CONTEXT || undefined,
    namespaces: namespaces.length ? namespaces : undefined,
    namespacePrefix: env.CHAINBOARD_NAMESPACE_PREFIX ?? 'hst-',
    withSecrets: truthy(env.CHAINBOARD_READ_SECRETS),
    withCertificates: truthy(env.CHAINBOARD_CERT_MANAGER),
  };
}

/** Build and start a runtime (not cached): for tests and the CLI. */
export function createRuntime(
  config: RuntimeConfig,
  extra: { log?: (m: string) => void; analyzeOptions?: AnalysisStoreOptions['analyzeOptions'] } = {},
): Runtime {
  const kubeConfig = loadKubeConfig({ kubeconfig: config.kubeconfig, context: config.context });
  const source = new LiveSource({ kubeConfig, namespaces: config.namespaces, withSecrets: config.withSecrets, withCertificates: config.withCertificates, log: extra.log });
  const store = new AnalysisStore({ source, namespacePrefix: config.namespacePrefix, analyzeOptions: extra.analyzeOptions, log: extra.log });
  store.start();
  source.start();
  return {
    config,
    source,
    store,
    async stop() {
      store.stop();
      await source.stop();
    },
  };
}

const KEY = Symbol.for('chainboard.runtime');
type Holder = { [KEY]?: Runtime };

/**
 * The process's runtime, created on first use from the environment. Throws when no cluster is
 * configured (the caller turns that into a 503 with the message).
 */
export function getRuntime(): Runtime {
  const g = globalThis as Holder;
  const existing = g[KEY];
  if (existing) return existing;
  const rt = createRuntime(runtimeConfigFromEnv(), { log: (m) => console.warn(`chainboard: ${m}`) });
  const stop = rt.stop;
  rt.stop = async () => {
    if (g[KEY] === rt) delete g[KEY];
    await stop();
  };
  g[KEY] = rt;
  return rt;
}

/** Stop the process's runtime if one was started. */
export async function stopRuntime(): Promise<void> {
  await (globalThis as Holder)[KEY]?.stop();
}
