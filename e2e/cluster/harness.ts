/**
 * A real Kubernetes control plane for tests: etcd, kube-apiserver, kube-controller-manager,
 * kube-scheduler and kwok (fake nodes that make Pods Running and Ready with IPs), all on 127.0.0.1,
 * with certificates and keys generated at start. The binaries come from `e2e/cluster/build.sh`
 * (cached outside the checkout); see e2e/cluster/README.md.
 *
 * ```ts
 * const cp = await startControlPlane();
 * after(() => cp.stop());
 * const token = await cp.createServiceAccountToken('chainboard', 'chainboard');
 * ```
 *
 * The parts: processes.ts (process groups, clean-up), components.ts (each component's flags and
 * readiness), client.ts (kubeconfigs, admin requests), audit.ts (the audit log), objects.ts (REST paths,
 * kustomize), wait.ts (bounded polls); certificates and ports come from lib/testing.
 *
 * @see https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/
 * @see https://kwok.sigs.k8s.io/docs/user/kwok-in-cluster/
 */
import { KubeConfig } from '@kubernetes/client-node';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../lib/testing/net';
import { createCa, createKeyPair, issueCertificate } from '../../lib/testing/pki';
import { readAuditEvents, type AuditEvent } from './audit';
import { defaultBinDir } from './bin';
import { adminClient, kubeconfigYaml, type ApiResponse } from './client';
import { COMPONENTS, startApiServer, startControllers, startEtcd, startKwok, waitForControllers, type ComponentFiles, type Launch, type Ports } from './components';
import { backupEtcd, restoreEtcd } from './etcd-backup';
import { resourcePath, type KubeObject } from './objects';
import { ComponentProcesses, type ProcessInfo } from './processes';

const HERE = dirname(fileURLToPath(import.meta.url));
const LOOPBACK = '127.0.0.1';

export interface StartOptions {
  /** Working folder (certificates, kubeconfigs, etcd data, logs). Default: a new temp folder. */
  dir?: string;
  /** Keep `dir` after stop() (logs for a post-mortem). Default: env CHAINBOARD_E2E_KEEP=1, else false. */
  keepDir?: boolean;
  /** Number of fake kwok Nodes. Default 3. */
  nodes?: number;
  /** Folder with the binaries. Default: what `e2e/cluster/build.sh --bin-dir` prints. */
  binDir?: string;
  /** Bound for the whole start. Default 180 s (the first start on a busy 2-core machine is slow). */
  timeoutMs?: number;
  /** Progress lines. Default: to stderr when env CHAINBOARD_E2E_VERBOSE=1. */
  log?: (line: string) => void;
}

export interface ControlPlane {
  /** https://127.0.0.1:<port> */
  readonly server: string;
  /** Working folder (logs in `<dir>/logs`). */
  readonly dir: string;
  /** Admin (system:masters, client certificate) kubeconfig: its path and its YAML text. */
  readonly kubeconfigPath: string;
  readonly adminKubeconfig: string;
  /** PEM of the cluster CA. */
  readonly caCert: string;
  readonly auditLogPath: string;
  /** Names of the fake Nodes kwok manages. */
  readonly nodeNames: readonly string[];
  /** A client-node KubeConfig for the admin. */
  adminKubeConfig(): KubeConfig;
  /** A raw request as admin: `api('GET', '/api/v1/namespaces')`. Body objects are sent as JSON. */
  api<T = unknown>(method: string, path: string, body?: unknown, contentType?: string): Promise<ApiResponse<T>>;
  /** Server-side apply of one object as admin (`fieldManager` defaults to chainboard-e2e). */
  apply<T = unknown>(obj: KubeObject, fieldManager?: string): Promise<T>;
  /** Server-side apply of many objects, Namespaces first (e.g. the output of kustomizeBuild). */
  applyAll(objs: KubeObject[], fieldManager?: string): Promise<void>;
  /**
   * A bound token for a ServiceAccount (TokenRequest API, audience = the apiserver's). Creates neither
   * the namespace nor the ServiceAccount.
   */
  createServiceAccountToken(namespace: string, name: string, expirationSeconds?: number): Promise<string>;
  /** Alias of createServiceAccountToken. */
  token(namespace: string, name: string, expirationSeconds?: number): Promise<string>;
  /** Writes a kubeconfig that authenticates with `token`; returns its path. */
  kubeconfigForToken(token: string, fileName?: string): string;
  /** Audit events written so far (optionally only those of one user name). */
  auditEvents(username?: string): Promise<AuditEvent[]>;
  /** PIDs of every process started (components and the watchdog). */
  processes(): ProcessInfo[];
  /**
   * Stops kube-apiserver; startApiServer() brings it back on the same port with the same etcd (all
   * objects kept). Default: SIGTERM, as in a rolling restart: it stops listening at once and drops its
   * watches; after 5 s it is killed. `{ crash: true }`: SIGKILL, connections reset.
   */
  stopApiServer(opts?: { crash?: boolean }): Promise<void>;
  /** Starts kube-apiserver again (no-op while it runs) and waits for /readyz. */
  startApiServer(): Promise<void>;
  /** stopApiServer(), optionally waits `downMs`, then startApiServer(). */
  restartApiServer(opts?: { downMs?: number; crash?: boolean }): Promise<void>;
  /** A cold backup of etcd's data (etcd stopped for the copy and started again); returns its path. See etcd-backup.ts. */
  backupEtcd(): Promise<string>;
  /** Restores a backup with kube-apiserver and etcd stopped, then starts both: objects and revisions go back to the backup's. */
  restoreEtcd(backup: string): Promise<void>;
  /** Kills every process (process groups), removes the working folder. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok on 127.0.0.1 and
 * creates the fake Nodes; resolves once the API is ready, the controllers work and the Nodes are Ready.
 * If anything fails on the way, whatever was started is stopped before the error is thrown.
 */
export async function startControlPlane(opts: StartOptions = {}): Promise<ControlPlane> {
  const timeoutMs = opts.timeoutMs ?? 180_000;
  const deadline = Date.now() + timeoutMs;
  const remaining = () => Math.max(1_000, deadline - Date.now());
  const log = opts.log ?? (process.env.CHAINBOARD_E2E_VERBOSE === '1' ? (l: string) => process.stderr.write(`[cp] ${l}\n`) : () => {});
  const binDir = opts.binDir ?? defaultBinDir();
  for (const c of COMPONENTS) {
    if (!existsSync(join(binDir, c))) {
      throw new Error(`${join(binDir, c)} is missing: build the control plane first with \`bash e2e/cluster/build.sh\``);
    }
  }

  const ownDir = opts.dir === undefined;
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'chainboard-cp-'));
  mkdirSync(dir, { recursive: true });
  const keepDir = opts.keepDir ?? process.env.CHAINBOARD_E2E_KEEP === '1';
  const logs = join(dir, 'logs');
  const procs = new ComponentProcesses({ dir, binDir, logs, removeDir: ownDir && !keepDir, log });
  for (const d of [logs, join(dir, 'pki'), join(dir, 'home'), join(dir, 'kcm'), join(dir, 'scheduler')]) mkdirSync(d, { recursive: true });
  const file = (name: string, content: string, mode = 0o600) => {
    const p = join(dir, name);
    writeFileSync(p, content, { mode });
    return p;
  };

  try {
    // --- certificates, keys, kubeconfigs
    // A client certificate's CN is the user name and each O a group.
    const ca = await createCa({ name: 'CN=chainboard-e2e-ca' });
    const serving = await issueCertificate(ca, {
      usage: 'server',
      subject: 'CN=kube-apiserver',
      dns: ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local'],
      ip: [LOOPBACK, '10.96.0.1'],
    });
    const admin = await issueCertificate(ca, { usage: 'client', subject: 'CN=chainboard-e2e-admin, O=system:masters' });
    const kcmCert = await issueCertificate(ca, { usage: 'client', subject: 'CN=system:kube-controller-manager' });
    const schedCert = await issueCertificate(ca, { usage: 'client', subject: 'CN=system:kube-scheduler' });
    const saKeys = await createKeyPair();
    const [etcdClient, etcdPeer, apiserver, controllerManager, scheduler] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
    const ports: Ports = { etcdClient, etcdPeer, apiserver, controllerManager, scheduler };
    const server = `https://${LOOPBACK}:${apiserver}`;
    const adminKubeconfig = kubeconfigYaml(server, ca.certPem, { cert: admin }, 'chainboard-e2e-admin');
    const files: ComponentFiles = {
      caCert: file('pki/ca.crt', ca.certPem, 0o644),
      servingCert: file('pki/apiserver.crt', serving.cert, 0o644),
      servingKey: file('pki/apiserver.key', serving.key),
      saKey: file('pki/sa.key', saKeys.privateKeyPem),
      saPub: file('pki/sa.pub', saKeys.publicKeyPem, 0o644),
      auditPolicy: file('audit-policy.yaml', readFileSync(join(HERE, 'audit-policy.yaml'), 'utf8'), 0o644),
      auditLog: join(logs, 'audit.log'),
      kwokConfig: file('kwok.yaml', readFileSync(join(HERE, 'kwok', 'stages.yaml'), 'utf8'), 0o644),
      adminKubeconfig: file('admin.kubeconfig', adminKubeconfig),
      controllerManagerKubeconfig: file('kcm.kubeconfig', kubeconfigYaml(server, ca.certPem, { cert: kcmCert }, 'kube-controller-manager')),
      schedulerKubeconfig: file('scheduler.kubeconfig', kubeconfigYaml(server, ca.certPem, { cert: schedCert }, 'kube-scheduler')),
    };

    procs.startWatchdog();
    const client = adminClient(apiserver, ca.certPem, admin);
    const { api, must } = client;
    const launch: Launch = { dir, ports, files, procs, client, remaining, log };

    // --- the components, in dependency order
    await startEtcd(launch);
    await startApiServer(launch);
    startControllers(launch);
    const nodeCount = opts.nodes ?? 3;
    const nodeNames = await startKwok(launch, nodeCount);
    await waitForControllers(launch, nodeCount);
    log(`control plane ready at ${server} (${dir})`);

    let stopped = false;
    let tokenFiles = 0;
    const cp: ControlPlane = {
      server,
      dir,
      kubeconfigPath: files.adminKubeconfig,
      adminKubeconfig,
      caCert: ca.certPem,
      auditLogPath: files.auditLog,
      nodeNames,
      adminKubeConfig() {
        const kc = new KubeConfig();
        kc.loadFromString(adminKubeconfig);
        return kc;
      },
      api,
      async apply<T = unknown>(obj: KubeObject, fieldManager = 'chainboard-e2e'): Promise<T> {
        return must<T>('PATCH', `${resourcePath(obj)}?fieldManager=${encodeURIComponent(fieldManager)}&force=true`, obj, 'application/apply-patch+yaml');
      },
      async applyAll(objs, fieldManager) {
        const first = objs.filter((o) => o.kind === 'Namespace');
        for (const o of [...first, ...objs.filter((o) => o.kind !== 'Namespace')]) await cp.apply(o, fieldManager);
      },
      async createServiceAccountToken(namespace, name, expirationSeconds = 3600) {
        const r = await must<{ status?: { token?: string } }>(
          'POST',
          `/api/v1/namespaces/${encodeURIComponent(namespace)}/serviceaccounts/${encodeURIComponent(name)}/token`,
          { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds } },
        );
        const t = r.status?.token;
        if (!t) throw new Error(`TokenRequest for ${namespace}/${name} returned no token`);
        return t;
      },
      token(namespace, name, expirationSeconds) {
        return cp.createServiceAccountToken(namespace, name, expirationSeconds);
      },
      kubeconfigForToken(token, fileName = `token-${++tokenFiles}.kubeconfig`) {
        return file(fileName, kubeconfigYaml(server, ca.certPem, { token }, 'token-user'));
      },
      auditEvents(username) {
        return readAuditEvents(files.auditLog, username);
      },
      processes() {
        return procs.list();
      },
      async stopApiServer({ crash = false } = {}) {
        await procs.stop('kube-apiserver', 5_000, crash ? 'SIGKILL' : 'SIGTERM');
      },
      async startApiServer() {
        if (procs.has('kube-apiserver')) return;
        await startApiServer(launch);
      },
      async restartApiServer({ downMs = 0, crash = false } = {}) {
        await procs.stop('kube-apiserver', 5_000, crash ? 'SIGKILL' : 'SIGTERM');
        if (downMs > 0) await sleep(downMs);
        await startApiServer(launch);
      },
      backupEtcd: () => backupEtcd(launch),
      restoreEtcd: (backup) => restoreEtcd(launch, backup),
      async stop() {
        if (stopped) return;
        stopped = true;
        await procs.stopAll();
        procs.release();
        log(procs.removesDir ? `removed ${dir}` : `kept ${dir}`);
      },
    };
    return cp;
  } catch (e) {
    await procs.stopAll().catch(() => {});
    procs.release();
    if (e instanceof Error && !procs.removesDir) e.message += ` (logs in ${logs})`;
    throw e;
  }
}
