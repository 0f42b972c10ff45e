/**
 * The control plane's components, each started with its flags and waited for: etcd, kube-apiserver,
 * kube-controller-manager, kube-scheduler and kwok with its fake Nodes.
 *
 * @see https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/
 * @see https://kwok.sigs.k8s.io/docs/user/kwok-in-cluster/
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import type { AdminClient } from './client';
import type { ComponentProcesses } from './processes';
import { waitFor } from './wait';

const LOOPBACK = '127.0.0.1';

/** Label that makes kwok (stage `chainboard-pod-not-ready` in kwok/stages.yaml) turn a Pod not ready. */
export const NOT_READY_LABEL = 'chainboard.test/not-ready';
/** Annotation that marks the Nodes kwok manages. */
export const KWOK_NODE_ANNOTATION = 'kwok.x-k8s.io/node';
/** The IP range of Services and of Pods (never contacted: nothing listens there). */
export const SERVICE_CIDR = '10.96.0.0/16';
export const POD_CIDR = '10.244.0.0/16';

/** The binaries of the control plane, in start order. */
export type ComponentName = 'etcd' | 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler' | 'kwok';
export const COMPONENTS: readonly ComponentName[] = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok'];

/**
 * Controllers kube-controller-manager runs. The legacy v1 Endpoints controller is left out on purpose:
 * Chainboard must read EndpointSlices only, and without Endpoints objects a regression would show.
 */
export const CONTROLLERS = [
  'endpointslice-controller',
  'deployment-controller',
  'replicaset-controller',
  'garbage-collector-controller',
  'namespace-controller',
  'serviceaccount-controller',
  'serviceaccount-token-controller',
  'root-ca-certificate-publisher-controller',
  'clusterrole-aggregation-controller',
  'pod-garbage-collector-controller',
  'service-cidr-controller',
  // Binds deploy/base's claim for the history store to the volume the harness test provides.
  'persistentvolume-binder-controller',
] as const;

/** The ports the components listen on (all on 127.0.0.1). */
export interface Ports {
  etcdClient: number;
  etcdPeer: number;
  apiserver: number;
  controllerManager: number;
  scheduler: number;
}

/** The files the components read, written into the working folder before they start. */
export interface ComponentFiles {
  caCert: string;
  servingCert: string;
  servingKey: string;
  saKey: string;
  saPub: string;
  auditPolicy: string;
  auditLog: string;
  kwokConfig: string;
  adminKubeconfig: string;
  controllerManagerKubeconfig: string;
  schedulerKubeconfig: string;
}

/** Everything a component's start needs. */
export interface Launch {
  dir: string;
  ports: Ports;
  files: ComponentFiles;
  procs: ComponentProcesses;
  client: AdminClient;
  /** The time left of the whole start's bound, in ms. */
  remaining: () => number;
  log: (line: string) => void;
}

/** Starts etcd and waits for its /health. */
export async function startEtcd(l: Launch): Promise<void> {
  const { etcdClient, etcdPeer } = l.ports;
  l.procs.start('etcd', [
    '--name=default',
    `--data-dir=${join(l.dir, 'etcd')}`,
    `--listen-client-urls=http://${LOOPBACK}:${etcdClient}`,
    `--advertise-client-urls=http://${LOOPBACK}:${etcdClient}`,
    `--listen-peer-urls=http://${LOOPBACK}:${etcdPeer}`,
    `--initial-advertise-peer-urls=http://${LOOPBACK}:${etcdPeer}`,
    `--initial-cluster=default=http://${LOOPBACK}:${etcdPeer}`,
    '--unsafe-no-fsync=true', // throwaway data: no fsync on a shared disk
    '--quota-backend-bytes=2147483648',
    '--log-level=warn',
  ]);
  await waitFor(
    'etcd /health',
    () =>
      new Promise<boolean>((resolve) => {
        const req = httpRequest({ host: LOOPBACK, port: etcdClient, path: '/health', timeout: 2_000 }, (res) => {
          let t = '';
          res.on('data', (c: Buffer) => (t += c.toString()));
          res.on('end', () => resolve(res.statusCode === 200 && t.includes('true')));
        });
        req.on('error', () => resolve(false));
        req.on('timeout', () => req.destroy());
        req.end();
      }),
    // A restart after the start (a restore) has the start's time left, if any, or a minute of its own.
    { timeoutMs: Math.max(l.remaining(), 60_000), abort: () => l.procs.exited('etcd') },
  );
  l.log('etcd healthy');
}

function apiServerArgs(l: Launch): string[] {
  const f = l.files;
  return [
    `--etcd-servers=http://${LOOPBACK}:${l.ports.etcdClient}`,
    `--advertise-address=${LOOPBACK}`,
    `--bind-address=${LOOPBACK}`,
    `--secure-port=${l.ports.apiserver}`,
    `--cert-dir=${join(l.dir, 'apiserver')}`,
    `--tls-cert-file=${f.servingCert}`,
    `--tls-private-key-file=${f.servingKey}`,
    `--client-ca-file=${f.caCert}`,
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    `--service-account-key-file=${f.saPub}`,
    `--service-account-signing-key-file=${f.saKey}`,
    `--service-cluster-ip-range=${SERVICE_CIDR}`,
    '--authorization-mode=Node,RBAC',
    `--audit-policy-file=${f.auditPolicy}`,
    `--audit-log-path=${f.auditLog}`,
    '--audit-log-format=json',
    '--audit-log-mode=blocking',
    '--allow-privileged=true',
    // The "kubernetes" Service's endpoints would be 127.0.0.1, which Endpoints validation refuses.
    '--endpoint-reconciler-type=none',
    '--profiling=false',
    '--v=1',
  ];
}

/** Starts kube-apiserver (on its fixed port, against the same etcd every time) and waits for /readyz. */
export async function startApiServer(l: Launch): Promise<void> {
  l.procs.start('kube-apiserver', apiServerArgs(l));
  await waitFor(
    'kube-apiserver /readyz',
    async () => (await l.client.api('GET', '/readyz')).status === 200,
    { timeoutMs: Math.max(l.remaining(), 120_000), intervalMs: 500, abort: () => l.procs.exited('kube-apiserver') },
  );
  l.log('kube-apiserver ready');
}

/**
 * The flags kube-controller-manager and kube-scheduler share: one kubeconfig for their identity and for
 * checking who calls them, and their /healthz on `port` of 127.0.0.1 with a self-signed certificate in `certDir`.
 */
function identityAndServing(kubeconfig: string, port: number, certDir: string): string[] {
  return [
    `--kubeconfig=${kubeconfig}`,
    `--authentication-kubeconfig=${kubeconfig}`,
    `--authorization-kubeconfig=${kubeconfig}`,
    `--bind-address=${LOOPBACK}`,
    `--secure-port=${port}`,
    `--cert-dir=${certDir}`,
  ];
}

/** Starts kube-controller-manager and kube-scheduler (not waited for: see {@link waitForControllers}). */
export function startControllers(l: Launch): void {
  l.procs.start('kube-controller-manager', [
    ...identityAndServing(l.files.controllerManagerKubeconfig, l.ports.controllerManager, join(l.dir, 'kcm')),
    // No leader election: a restart of kube-apiserver must not make it exit.
    '--leader-elect=false',
    `--controllers=${CONTROLLERS.join(',')}`,
    '--use-service-account-credentials=true',
    `--service-account-private-key-file=${l.files.saKey}`,
    `--root-ca-file=${l.files.caCert}`,
    '--v=1',
  ]);
  l.procs.start('kube-scheduler', [
    ...identityAndServing(l.files.schedulerKubeconfig, l.ports.scheduler, join(l.dir, 'scheduler')),
    '--leader-elect=false',
    '--v=1',
  ]);
}

/** Starts kwok and creates `count` fake Nodes for it (`kwok-node-<i>`); returns their names. */
export async function startKwok(l: Launch, count: number): Promise<string[]> {
  l.procs.start('kwok', [
    `--kubeconfig=${l.files.adminKubeconfig}`,
    `--config=${l.files.kwokConfig}`,
    '--manage-all-nodes=false',
    `--manage-nodes-with-annotation-selector=${KWOK_NODE_ANNOTATION}=fake`,
    `--cidr=${POD_CIDR}`,
    '--node-ip=10.240.0.1',
    '--node-lease-duration-seconds=40',
  ]);
  const nodeNames = Array.from({ length: count }, (_, i) => `kwok-node-${i}`);
  for (const [i, name] of nodeNames.entries()) {
    const resources = { cpu: '32', memory: '256Gi', pods: '110' };
    await l.client.must('POST', '/api/v1/nodes', {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name,
        annotations: { [KWOK_NODE_ANNOTATION]: 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
        labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', type: 'kwok' },
      },
      spec: { podCIDR: `10.244.${i}.0/24`, podCIDRs: [`10.244.${i}.0/24`] },
      status: { allocatable: resources, capacity: resources, addresses: [{ type: 'InternalIP', address: `10.240.0.${i + 10}` }] },
    });
    // Admission (TaintNodesByCondition) gives every new Node the not-ready taint, which only the
    // node-lifecycle controller removes. That controller is not run (it would mark Pods not ready
    // while kube-apiserver is restarted and kwok cannot renew leases), so the taint goes here.
    await l.client.must('PATCH', `/api/v1/nodes/${name}`, { spec: { taints: null } }, 'application/merge-patch+json');
  }
  return nodeNames;
}

function healthz(port: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const req = httpsRequest({ host: LOOPBACK, port, path: '/healthz', rejectUnauthorized: false, agent: false, timeout: 2_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200));
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

/**
 * Waits until the controllers work: both answer /healthz, the serviceaccount controller made
 * default/default (Pods need it), and `nodeCount` kwok Nodes are Ready and untainted.
 */
export async function waitForControllers(l: Launch, nodeCount: number): Promise<void> {
  const { procs, client } = l;
  await waitFor(
    'kube-controller-manager and kube-scheduler /healthz',
    async () => (await healthz(l.ports.controllerManager)) && (await healthz(l.ports.scheduler)),
    { timeoutMs: l.remaining(), abort: () => procs.exited('kube-controller-manager', 'kube-scheduler') },
  );
  await waitFor(
    'ServiceAccount default/default (serviceaccount controller)',
    async () => (await client.api('GET', '/api/v1/namespaces/default/serviceaccounts/default')).status === 200,
    { timeoutMs: l.remaining(), abort: () => procs.exited('kube-controller-manager') },
  );
  await waitFor(
    `${nodeCount} kwok Nodes Ready and untainted`,
    async () => {
      const list = await client.must<{ items: { metadata: { name: string }; spec?: { taints?: unknown[] }; status?: { conditions?: { type: string; status: string }[] } }[] }>(
        'GET',
        '/api/v1/nodes',
      );
      const ready = list.items.filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') && (n.spec?.taints ?? []).length === 0);
      return ready.length >= nodeCount;
    },
    { timeoutMs: l.remaining(), abort: () => procs.exited('kwok') },
  );
}
