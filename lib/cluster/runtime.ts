import 'server-only';
/**
 * The live runtime: one LiveSource (the watch caches of a kubeconfig's cluster) and the AnalysisStore that
 * re-analyses what they change, started together and stopped together. lib/server/app.ts builds one per
 * app from the parsed configuration; the control-plane suite builds them per ServiceAccount token.
 *
 * @see https://kubernetes.io/docs/concepts/configuration/organize-cluster-access-kubeconfig/
 */
import { LiveSource, loadKubeConfig } from './live';
import { AnalysisStore, type AnalysisStoreOptions } from './store';

export interface RuntimeConfig {
  kubeconfig?: string;
  context?: string;
  /** Namespaces watched one by one (namespace-scoped Roles); unset: cluster-wide. */
  namespaces?: string[];
  namespacePrefix: string;
  withSecrets: boolean;
  withCertificates?: boolean;
  withMiddlewares?: boolean;
  withIngressRoutes?: boolean;
  withGatewayApi?: boolean | { gatewayNamespaces?: readonly string[] };
  /** Silence after which a watch counts as stalled and is renewed, in ms (see `InformerOptions.stallAfterMs`). Default 3 minutes. */
  stallAfterMs?: number;
}

export interface Runtime {
  config: RuntimeConfig;
  source: LiveSource;
  store: AnalysisStore;
  /** Stop the watches and the store. */
  stop(): Promise<void>;
}

/**
 * Build and start a runtime. Throws when the kubeconfig cannot be used (no file, an unknown context),
 * before anything starts.
 */
export function createRuntime(
  config: RuntimeConfig,
  extra: { log?: (m: string) => void; analyzeOptions?: AnalysisStoreOptions['analyzeOptions'] } = {},
): Runtime {
  const kubeConfig = loadKubeConfig({ kubeconfig: config.kubeconfig, context: config.context });
  const source = new LiveSource({
    kubeConfig,
    namespaces: config.namespaces,
    withSecrets: config.withSecrets,
    withCertificates: config.withCertificates,
    withMiddlewares: config.withMiddlewares,
    withIngressRoutes: config.withIngressRoutes,
    withGatewayApi: config.withGatewayApi,
    stallAfterMs: config.stallAfterMs,
    log: extra.log,
  });
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
