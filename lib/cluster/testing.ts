/**
 * Test helper (test code only): watch caches and an analysis store over a demo API server, the way the
 * app builds them, with fast back-off so a refused or missing kind settles quickly. Resolves after the
 * first analysis; the returned `stop` ends both.
 */
import { KubeConfig } from '@kubernetes/client-node';
import type { DemoServer } from '../../demo/server';
import { waitFor } from '../testing/net';
import { LiveSource, type LiveSourceOptions } from './live';
import { AnalysisStore } from './store';

export async function watchDemo(
  demo: DemoServer,
  opts: Pick<LiveSourceOptions, 'withCertificates' | 'withMiddlewares' | 'withIngressRoutes' | 'withSecrets' | 'withGatewayApi' | 'namespaces'>,
): Promise<{ source: LiveSource; store: AnalysisStore; stop: () => Promise<void> }> {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(demo.kubeconfig());
  const source = new LiveSource({ kubeConfig, ...opts, backoff: { initialMs: 20, maxMs: 200, jitter: 0 } });
  const store = new AnalysisStore({ source, debounceMs: 10, refreshMs: 0 });
  store.start();
  source.start();
  const stop = async () => {
    store.stop();
    await source.stop();
  };
  try {
    await waitFor('the first analysis', () => store.getResult().ready, { timeoutMs: 20_000 });
  } catch (e) {
    await stop();
    throw e;
  }
  return { source, store, stop };
}
