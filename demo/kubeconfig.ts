/**
 * Kubeconfig files that point a client (the app, kubectl, a test's second dashboard) at the demo cluster.
 * @see https://kubernetes.io/docs/concepts/configuration/organize-cluster-access-kubeconfig/
 */

/** Who the kubeconfig's user is and what its context is called. */
export interface KubeconfigOptions {
  /** Bearer token the kubeconfig's user sends. Default `demo-token`. */
  token?: string;
  /** Context (and cluster and user) name. Default `chainboard-demo`. */
  context?: string;
  /** The context's default namespace. */
  namespace?: string;
}

/**
 * A kubeconfig for the demo server. Plain HTTP needs `insecure-skip-tls-verify: true`: client-node refuses
 * an `http:` server otherwise.
 */
export function kubeconfigYaml(url: string, k: KubeconfigOptions = {}): string {
  const name = k.context ?? 'chainboard-demo';
  const token = k.token ?? 'demo-token';
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ${name}`,
    '  cluster:',
    `    server: ${url}`,
    '    insecure-skip-tls-verify: true',
    'users:',
    `- name: ${name}`,
    '  user:',
    `    token: ${JSON.stringify(token)}`,
    'contexts:',
    `- name: ${name}`,
    '  context:',
    `    cluster: ${name}`,
    `    user: ${name}`,
    ...(k.namespace ? [`    namespace: ${k.namespace}`] : []),
    `current-context: ${name}`,
    'preferences: {}',
    '',
  ].join('\n');
}
