import 'server-only';
/**
 * Which kubeconfig a live source uses, decided before anything dials out. client-node's
 * `loadFromDefault` falls back to `http://localhost:8080` when it finds nothing, so a machine without a
 * kubeconfig used to wait for a cluster that was never configured and then report one "connection
 * refused" per kind. Looking for the files first turns that into one sentence, at once.
 *
 * This module reads the file system only (no client-node), so the server can check at start without
 * loading the Kubernetes client.
 *
 * @see https://kubernetes.io/docs/concepts/configuration/organize-cluster-access-kubeconfig/
 * @see https://kubernetes.io/docs/tasks/run-application/access-api-from-pod/
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

/** Where a Pod's ServiceAccount token is mounted; its presence means "in a cluster" (as for client-node). */
export const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/** Where the kubeconfig comes from, in kubectl's and client-node's order. */
export type KubeConfigLocation =
  | { from: 'flag' | 'KUBECONFIG' | 'home'; files: string[] }
  | { from: 'in-cluster' };

/** Why no kubeconfig can be used: `none` found anywhere, a named `file-missing`, or one that is `invalid`. */
export type KubeConfigProblem = 'none' | 'file-missing' | 'invalid';

/** A kubeconfig that cannot be used; the message is one line, in the user's terms. */
export class KubeConfigError extends Error {
  override readonly name = 'KubeConfigError';
  constructor(
    readonly problem: KubeConfigProblem,
    message: string,
  ) {
    super(message);
  }
}

/** What the search looks at; tests pass their own. */
export interface KubeConfigSystem {
  env: Record<string, string | undefined>;
  home(): string | undefined;
  exists(path: string): boolean;
}

const SYSTEM: KubeConfigSystem = {
  env: process.env,
  home: () => process.env.HOME || process.env.USERPROFILE || homedir() || undefined,
  // The path is the user's, at run time: nothing for the bundler's file tracing to follow.
  exists: (path) => existsSync(/*turbopackIgnore: true*/ path),
};

/**
 * Find the kubeconfig: the explicit file, else the files of `KUBECONFIG` (missing ones skipped, as kubectl
 * does), else `~/.kube/config`, else the in-cluster ServiceAccount. Throws {@link KubeConfigError} when
 * the explicit file or every `KUBECONFIG` file is missing, or when there is nothing at all.
 */
export function locateKubeConfig(opts: { kubeconfig?: string; inCluster?: boolean } = {}, sys: KubeConfigSystem = SYSTEM): KubeConfigLocation {
  if (opts.inCluster) return { from: 'in-cluster' };
  if (opts.kubeconfig) {
    if (!sys.exists(opts.kubeconfig)) throw new KubeConfigError('file-missing', `kubeconfig ${opts.kubeconfig} does not exist`);
    return { from: 'flag', files: [opts.kubeconfig] };
  }
  const listed = (sys.env.KUBECONFIG ?? '').split(delimiter).filter((f) => f.length > 0);
  if (listed.length > 0) {
    const files = listed.filter((f) => sys.exists(f));
    if (files.length === 0) {
      throw new KubeConfigError('file-missing', `KUBECONFIG names ${listed.length === 1 ? 'a file that does not exist' : 'no file that exists'}: ${listed.join(', ')}`);
    }
    return { from: 'KUBECONFIG', files };
  }
  const home = sys.home();
  const homeConfig = home ? join(home, '.kube', 'config') : undefined;
  if (homeConfig && sys.exists(homeConfig)) return { from: 'home', files: [homeConfig] };
  if (sys.exists(SERVICE_ACCOUNT_TOKEN)) return { from: 'in-cluster' };
  throw new KubeConfigError(
    'none',
    `no kubeconfig: KUBECONFIG is not set, ${homeConfig ?? '~/.kube/config'} does not exist, and this is not a Pod with a service account token`,
  );
}
