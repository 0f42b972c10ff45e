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
 * @see https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/
 * @see https://kwok.sigs.k8s.io/docs/user/kwok-in-cluster/
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { KubeConfig } from '@kubernetes/client-node';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { webcrypto } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments, stringify as toYaml } from 'yaml';
import { builtBinary, defaultBinDir } from './bin';

export { defaultBinDir } from './bin';

const HERE = dirname(fileURLToPath(import.meta.url));
const LOOPBACK = '127.0.0.1';

/** Label that makes kwok (stage `chainboard-pod-not-ready` in kwok/stages.yaml) turn a Pod not ready. */
export const NOT_READY_LABEL = 'chainboard.test/not-ready';
/** Annotation that marks the Nodes kwok manages. */
export const KWOK_NODE_ANNOTATION = 'kwok.x-k8s.io/node';
/** The IP range of Services and of Pods (never contacted: nothing listens there). */
export const SERVICE_CIDR = '10.96.0.0/16';
export const POD_CIDR = '10.244.0.0/16';

export type ComponentName = 'etcd' | 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler' | 'kwok';
const COMPONENTS: readonly ComponentName[] = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok'];

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
] as const;

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

export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
  text: string;
}

export interface ProcessInfo {
  name: ComponentName | 'watchdog';
  pid: number;
}

/** One audit event (audit.k8s.io/v1, level Metadata). */
export interface AuditEvent {
  auditID: string;
  stage: string;
  verb: string;
  requestURI: string;
  user: { username: string; groups?: string[] };
  objectRef?: { resource?: string; namespace?: string; name?: string; apiGroup?: string; subresource?: string };
  responseStatus?: { code?: number };
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
  /** Kills every process (process groups), removes the working folder. Idempotent. */
  stop(): Promise<void>;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [k: string]: unknown };
  [k: string]: unknown;
}

// ---------------------------------------------------------------------------------------------
// Clean-up of every control plane of this process, also when a test fails or the process is ended.

interface Running {
  /** Process groups of the components (each component leads its own group). */
  pgids: Set<number>;
  /** The watchdog's group, kept apart: it reads `pgids` from a file and must not kill itself first. */
  watchdogPgid?: number;
  dir: string;
  removeDir: boolean;
}
const live = new Set<Running>();
let exitHooksInstalled = false;

function killGroupsSync(r: Running): void {
  for (const pgid of [...r.pgids, ...(r.watchdogPgid === undefined ? [] : [r.watchdogPgid])]) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  r.pgids.clear();
  r.watchdogPgid = undefined;
  if (r.removeDir) rmSync(r.dir, { recursive: true, force: true });
}

function installExitHooks(): void {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  process.on('exit', () => {
    for (const r of live) killGroupsSync(r);
  });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      for (const r of live) killGroupsSync(r);
      process.kill(process.pid, sig);
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Certificates

const EC: EcKeyGenParams & EcdsaParams = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
x509.cryptoProvider.set(webcrypto as unknown as Crypto);

interface Pem {
  cert: string;
  key: string;
}

async function newKeys(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as unknown as CryptoKeyPair;
}

async function keyPem(key: CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', key as never), 'PRIVATE KEY');
}

async function publicKeyPem(key: CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await webcrypto.subtle.exportKey('spki', key as never), 'PUBLIC KEY');
}

let serial = 1;
function nextSerial(): string {
  serial += 1;
  return serial.toString(16).padStart(2, '0');
}

function validity(): { notBefore: Date; notAfter: Date } {
  const now = Date.now();
  return { notBefore: new Date(now - 60 * 60 * 1000), notAfter: new Date(now + 7 * 24 * 60 * 60 * 1000) };
}

async function makeCa(): Promise<{ pem: Pem; cert: x509.X509Certificate; keys: CryptoKeyPair }> {
  const keys = await newKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: 'CN=chainboard-e2e-ca',
    ...validity(),
    keys,
    signingAlgorithm: EC,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { pem: { cert: cert.toString('pem'), key: await keyPem(keys.privateKey) }, cert, keys };
}

async function makeLeaf(
  ca: { cert: x509.X509Certificate; keys: CryptoKeyPair },
  subject: string,
  usage: 'server' | 'client',
  san: { dns?: string[]; ip?: string[] } = {},
): Promise<Pem> {
  const keys = await newKeys();
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
    new x509.ExtendedKeyUsageExtension([usage === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth]),
    await x509.AuthorityKeyIdentifierExtension.create(ca.cert),
  ];
  const names: x509.JsonGeneralName[] = [
    ...(san.dns ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(san.ip ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  if (names.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(names));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: nextSerial(),
    subject,
    issuer: ca.cert.subject,
    ...validity(),
    signingKey: ca.keys.privateKey,
    publicKey: keys.publicKey,
    signingAlgorithm: EC,
    extensions,
  });
  return { cert: cert.toString('pem'), key: await keyPem(keys.privateKey) };
}

// ---------------------------------------------------------------------------------------------
// Small helpers

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, LOOPBACK, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => (port > 0 ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Thrown by a waitFor probe to stop polling at once (e.g. the awaited process has exited). */
export class GiveUp extends Error {
  override name = 'GiveUp';
}

/**
 * Polls `probe` until it returns a value other than undefined, or throws after `timeoutMs` (naming
 * `what` and the probe's last error). A probe that throws GiveUp ends the wait at once.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  { timeoutMs = 60_000, intervalMs = 250 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
      last = undefined;
    } catch (e) {
      if (e instanceof GiveUp) throw e;
      last = e;
    }
    if (Date.now() > deadline) {
      const why = last instanceof Error ? `: ${last.message}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}`);
    }
    await sleep(intervalMs);
  }
}

function tail(path: string, lines = 25): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function kubeconfigYaml(server: string, caPem: string, user: { cert?: Pem; token?: string }, name: string): string {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const u: Record<string, string> = {};
  if (user.cert) {
    u['client-certificate-data'] = b64(user.cert.cert);
    u['client-key-data'] = b64(user.cert.key);
  }
  if (user.token) u.token = user.token;
  return toYaml({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'chainboard-e2e', cluster: { server, 'certificate-authority-data': b64(caPem) } }],
    users: [{ name, user: u }],
    contexts: [{ name, context: { cluster: 'chainboard-e2e', user: name } }],
    'current-context': name,
    preferences: {},
  });
}

// ---------------------------------------------------------------------------------------------

interface Proc {
  name: ComponentName;
  child: ChildProcess;
  exited: Promise<void>;
  done: boolean;
  logPath: string;
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
  const running: Running = { pgids: new Set(), dir, removeDir: ownDir && !keepDir };
  live.add(running);
  installExitHooks();

  const logs = join(dir, 'logs');
  const pki = join(dir, 'pki');
  for (const d of [logs, pki, join(dir, 'home'), join(dir, 'kcm'), join(dir, 'scheduler')]) mkdirSync(d, { recursive: true });
  const file = (name: string, content: string, mode = 0o600) => {
    const p = join(dir, name);
    writeFileSync(p, content, { mode });
    return p;
  };

  const procs = new Map<ComponentName, Proc>();
  let watchdog: ChildProcess | undefined;
  const pgidFile = join(dir, 'pgids');
  const writePgids = () => writeFileSync(pgidFile, [...running.pgids].join('\n') + '\n');
  // A clean environment: nothing of the caller's (KUBECONFIG, proxies) leaks into the components.
  const childEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: join(dir, 'home'), // kwok would otherwise read ~/.kwok/kwok.yaml
    NO_PROXY: '127.0.0.1,localhost',
  } as Record<string, string> as NodeJS.ProcessEnv;

  const startProc = (name: ComponentName, args: string[]): Proc => {
    const logPath = join(logs, `${name}.log`);
    const fd = openSync(logPath, 'a');
    const child = spawn(join(binDir, name), args, {
      cwd: dir,
      env: childEnv,
      detached: true, // own process group, so stop() can kill it and anything it started
      stdio: ['ignore', fd, fd],
    });
    closeSync(fd);
    const pid = child.pid;
    if (pid === undefined) throw new Error(`could not start ${name}`);
    running.pgids.add(pid);
    writePgids();
    const p: Proc = {
      name,
      child,
      logPath,
      done: false,
      exited: new Promise<void>((resolve) => {
        child.once('exit', () => {
          p.done = true;
          running.pgids.delete(pid);
          resolve();
        });
        child.once('error', () => {
          p.done = true;
          running.pgids.delete(pid);
          resolve();
        });
      }),
    };
    procs.set(name, p);
    log(`${name} started (pid ${pid}), log ${logPath}`);
    return p;
  };

  // kube-apiserver stops listening right after SIGTERM but may linger on open watch connections:
  // 5 s of grace, then SIGKILL.
  const stopProc = async (name: ComponentName, graceMs = 5_000, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> => {
    const p = procs.get(name);
    if (!p) return;
    const pid = p.child.pid;
    if (!p.done && pid !== undefined) {
      try {
        process.kill(-pid, signal);
      } catch {
        // gone
      }
      const timedOut = await Promise.race([p.exited.then(() => false), sleep(graceMs).then(() => true)]);
      if (timedOut) {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          // gone
        }
        await p.exited;
      }
      // Anything left in the group (the component's own children) goes too.
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // group empty
      }
    }
    procs.delete(name);
    writePgids();
    log(`${name} stopped`);
  };

  /** Fails fast with the log tail when a component exits while we wait for it. */
  const alive = (name: ComponentName) => {
    const p = procs.get(name);
    if (!p || p.done) throw new GiveUp(`${name} exited early; last log lines:\n${tail(join(logs, `${name}.log`))}`);
  };

  const stopAll = async () => {
    for (const name of [...COMPONENTS].reverse()) await stopProc(name);
    if (watchdog?.pid !== undefined) {
      const wpid = watchdog.pid;
      const gone = new Promise<void>((r) => (watchdog?.exitCode !== null || watchdog?.signalCode !== null ? r() : watchdog?.once('exit', () => r())));
      try {
        process.kill(-wpid, 'SIGKILL');
      } catch {
        // gone
      }
      await gone;
      running.watchdogPgid = undefined;
    }
  };

  try {
    // --- certificates and keys
    const ca = await makeCa();
    const serving = await makeLeaf(ca, 'CN=kube-apiserver', 'server', {
      dns: ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local'],
      ip: [LOOPBACK, '10.96.0.1'],
    });
    const admin = await makeLeaf(ca, 'CN=chainboard-e2e-admin, O=system:masters', 'client');
    const kcmCert = await makeLeaf(ca, 'CN=system:kube-controller-manager', 'client');
    const schedCert = await makeLeaf(ca, 'CN=system:kube-scheduler', 'client');
    const saKeys = await newKeys();
    const caPath = file('pki/ca.crt', ca.pem.cert, 0o644);
    const servingCert = file('pki/apiserver.crt', serving.cert, 0o644);
    const servingKey = file('pki/apiserver.key', serving.key);
    const saKey = file('pki/sa.key', await keyPem(saKeys.privateKey));
    const saPub = file('pki/sa.pub', await publicKeyPem(saKeys.publicKey), 0o644);
    const auditPolicy = file('audit-policy.yaml', readFileSync(join(HERE, 'audit-policy.yaml'), 'utf8'), 0o644);
    const kwokConfig = file('kwok.yaml', readFileSync(join(HERE, 'kwok', 'stages.yaml'), 'utf8'), 0o644);
    const auditLogPath = join(logs, 'audit.log');

    const [etcdClient, etcdPeer, apiPort, kcmPort, schedPort] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
    const server = `https://${LOOPBACK}:${apiPort}`;
    const adminKubeconfig = kubeconfigYaml(server, ca.pem.cert, { cert: admin }, 'chainboard-e2e-admin');
    const kubeconfigPath = file('admin.kubeconfig', adminKubeconfig);
    const kcmKubeconfig = file('kcm.kubeconfig', kubeconfigYaml(server, ca.pem.cert, { cert: kcmCert }, 'kube-controller-manager'));
    const schedKubeconfig = file('scheduler.kubeconfig', kubeconfigYaml(server, ca.pem.cert, { cert: schedCert }, 'kube-scheduler'));

    // --- watchdog: if this Node process dies without running its exit hooks (SIGKILL), the control
    // plane must not outlive it.
    const watchScript = [
      'while kill -0 "$1" 2>/dev/null; do sleep 1; done',
      'for g in $(cat "$2" 2>/dev/null); do kill -KILL -- "-$g" 2>/dev/null; done',
      '[ "$3" = 1 ] && rm -rf "$4"',
      'exit 0',
    ].join('\n');
    watchdog = spawn('bash', ['-c', watchScript, 'chainboard-cp-watchdog', String(process.pid), pgidFile, running.removeDir ? '1' : '0', dir], {
      detached: true,
      stdio: 'ignore',
      env: childEnv,
    });
    watchdog.unref();
    running.watchdogPgid = watchdog.pid;

    // --- HTTP to the apiserver as admin
    const api = <T = unknown>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<ApiResponse<T>> =>
      new Promise((resolve, reject) => {
        const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
        const req = httpsRequest(
          {
            host: LOOPBACK,
            port: apiPort,
            method,
            path,
            ca: ca.pem.cert,
            cert: admin.cert,
            key: admin.key,
            servername: 'localhost',
            agent: false,
            timeout: 15_000,
            headers: {
              accept: 'application/json',
              ...(payload !== undefined ? { 'content-type': contentType, 'content-length': Buffer.byteLength(payload) } : {}),
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
              const text = Buffer.concat(chunks).toString('utf8');
              let parsed: unknown = text;
              try {
                parsed = JSON.parse(text);
              } catch {
                // not JSON (e.g. /readyz)
              }
              resolve({ status: res.statusCode ?? 0, body: parsed as T, text });
            });
            res.on('error', reject);
          },
        );
        req.on('timeout', () => req.destroy(new Error(`${method} ${path}: timeout`)));
        req.on('error', reject);
        if (payload !== undefined) req.write(payload);
        req.end();
      });

    const must = async <T>(method: string, path: string, body?: unknown, contentType?: string): Promise<T> => {
      const r = await api<T>(method, path, body, contentType);
      if (r.status < 200 || r.status > 299) throw new Error(`${method} ${path}: HTTP ${r.status}: ${r.text.slice(0, 500)}`);
      return r.body;
    };

    // --- etcd
    startProc('etcd', [
      '--name=default',
      `--data-dir=${join(dir, 'etcd')}`,
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
      async () => {
        alive('etcd');
        const ok = await new Promise<boolean>((resolve) => {
          const req = httpRequest({ host: LOOPBACK, port: etcdClient, path: '/health', timeout: 2_000 }, (res) => {
            let t = '';
            res.on('data', (c: Buffer) => (t += c.toString()));
            res.on('end', () => resolve(res.statusCode === 200 && t.includes('true')));
          });
          req.on('error', () => resolve(false));
          req.on('timeout', () => req.destroy());
          req.end();
        });
        return ok ? true : undefined;
      },
      { timeoutMs: remaining() },
    );
    log('etcd healthy');

    // --- kube-apiserver
    const apiserverArgs = [
      `--etcd-servers=http://${LOOPBACK}:${etcdClient}`,
      `--advertise-address=${LOOPBACK}`,
      `--bind-address=${LOOPBACK}`,
      `--secure-port=${apiPort}`,
      `--cert-dir=${join(dir, 'apiserver')}`,
      `--tls-cert-file=${servingCert}`,
      `--tls-private-key-file=${servingKey}`,
      `--client-ca-file=${caPath}`,
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${saPub}`,
      `--service-account-signing-key-file=${saKey}`,
      `--service-cluster-ip-range=${SERVICE_CIDR}`,
      '--authorization-mode=Node,RBAC',
      `--audit-policy-file=${auditPolicy}`,
      `--audit-log-path=${auditLogPath}`,
      '--audit-log-format=json',
      '--audit-log-mode=blocking',
      '--allow-privileged=true',
      // The "kubernetes" Service's endpoints would be 127.0.0.1, which Endpoints validation refuses.
      '--endpoint-reconciler-type=none',
      '--profiling=false',
      '--v=1',
    ];
    const startApiServer = async () => {
      startProc('kube-apiserver', apiserverArgs);
      await waitFor(
        'kube-apiserver /readyz',
        async () => {
          alive('kube-apiserver');
          const r = await api('GET', '/readyz');
          return r.status === 200 ? true : undefined;
        },
        { timeoutMs: Math.max(remaining(), 120_000), intervalMs: 500 },
      );
      log('kube-apiserver ready');
    };
    await startApiServer();

    // --- kube-controller-manager and kube-scheduler
    startProc('kube-controller-manager', [
      `--kubeconfig=${kcmKubeconfig}`,
      `--authentication-kubeconfig=${kcmKubeconfig}`,
      `--authorization-kubeconfig=${kcmKubeconfig}`,
      `--bind-address=${LOOPBACK}`,
      `--secure-port=${kcmPort}`,
      `--cert-dir=${join(dir, 'kcm')}`,
      // No leader election: a restart of kube-apiserver must not make it exit.
      '--leader-elect=false',
      `--controllers=${CONTROLLERS.join(',')}`,
      '--use-service-account-credentials=true',
      `--service-account-private-key-file=${saKey}`,
      `--root-ca-file=${caPath}`,
      '--v=1',
    ]);
    startProc('kube-scheduler', [
      `--kubeconfig=${schedKubeconfig}`,
      `--authentication-kubeconfig=${schedKubeconfig}`,
      `--authorization-kubeconfig=${schedKubeconfig}`,
      `--bind-address=${LOOPBACK}`,
      `--secure-port=${schedPort}`,
      `--cert-dir=${join(dir, 'scheduler')}`,
      '--leader-elect=false',
      '--v=1',
    ]);

    // --- kwok and the fake Nodes
    startProc('kwok', [
      `--kubeconfig=${kubeconfigPath}`,
      `--config=${kwokConfig}`,
      '--manage-all-nodes=false',
      `--manage-nodes-with-annotation-selector=${KWOK_NODE_ANNOTATION}=fake`,
      `--cidr=${POD_CIDR}`,
      '--node-ip=10.240.0.1',
      '--node-lease-duration-seconds=40',
    ]);
    const nodeCount = opts.nodes ?? 3;
    const nodeNames = Array.from({ length: nodeCount }, (_, i) => `kwok-node-${i}`);
    for (const [i, name] of nodeNames.entries()) {
      const resources = { cpu: '32', memory: '256Gi', pods: '110' };
      await must('POST', '/api/v1/nodes', {
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
      await must('PATCH', `/api/v1/nodes/${name}`, { spec: { taints: null } }, 'application/merge-patch+json');
    }

    const healthz = (port: number) =>
      new Promise<boolean>((resolve) => {
        const req = httpsRequest({ host: LOOPBACK, port, path: '/healthz', rejectUnauthorized: false, agent: false, timeout: 2_000 }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode === 200));
        });
        req.on('error', () => resolve(false));
        req.on('timeout', () => req.destroy());
        req.end();
      });
    await waitFor(
      'kube-controller-manager and kube-scheduler /healthz',
      async () => {
        alive('kube-controller-manager');
        alive('kube-scheduler');
        return (await healthz(kcmPort)) && (await healthz(schedPort)) ? true : undefined;
      },
      { timeoutMs: remaining() },
    );
    // The serviceaccount controller works once "default" exists in "default" (Pods need it).
    await waitFor(
      'ServiceAccount default/default (serviceaccount controller)',
      async () => {
        alive('kube-controller-manager');
        return (await api('GET', '/api/v1/namespaces/default/serviceaccounts/default')).status === 200 ? true : undefined;
      },
      { timeoutMs: remaining() },
    );
    await waitFor(
      `${nodeCount} kwok Nodes Ready and untainted`,
      async () => {
        alive('kwok');
        const list = await must<{ items: { metadata: { name: string }; spec?: { taints?: unknown[] }; status?: { conditions?: { type: string; status: string }[] } }[] }>(
          'GET',
          '/api/v1/nodes',
        );
        const ready = list.items.filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') && (n.spec?.taints ?? []).length === 0);
        return ready.length >= nodeCount ? true : undefined;
      },
      { timeoutMs: remaining() },
    );
    log(`control plane ready at ${server} (${dir})`);

    let stopped = false;
    const cp: ControlPlane = {
      server,
      dir,
      kubeconfigPath,
      adminKubeconfig,
      caCert: ca.pem.cert,
      auditLogPath,
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
      kubeconfigForToken(token, fileName = `token-${nextSerial()}.kubeconfig`) {
        return file(fileName, kubeconfigYaml(server, ca.pem.cert, { token }, 'token-user'));
      },
      async auditEvents(username) {
        let text = '';
        try {
          text = await readFile(auditLogPath, 'utf8');
        } catch {
          return [];
        }
        const events: AuditEvent[] = [];
        for (const line of text.split('\n')) {
          if (!line.trim()) continue;
          try {
            const ev = JSON.parse(line) as AuditEvent;
            if (username === undefined || ev.user?.username === username) events.push(ev);
          } catch {
            // a line being written right now
          }
        }
        return events;
      },
      processes() {
        const out: ProcessInfo[] = [];
        for (const p of procs.values()) if (p.child.pid !== undefined) out.push({ name: p.name, pid: p.child.pid });
        if (watchdog?.pid !== undefined) out.push({ name: 'watchdog', pid: watchdog.pid });
        return out;
      },
      async stopApiServer({ crash = false } = {}) {
        await stopProc('kube-apiserver', 5_000, crash ? 'SIGKILL' : 'SIGTERM');
      },
      async startApiServer() {
        if (procs.has('kube-apiserver')) return;
        await startApiServer();
      },
      async restartApiServer({ downMs = 0, crash = false } = {}) {
        await stopProc('kube-apiserver', 5_000, crash ? 'SIGKILL' : 'SIGTERM');
        if (downMs > 0) await sleep(downMs);
        await startApiServer();
      },
      async stop() {
        if (stopped) return;
        stopped = true;
        await stopAll();
        killGroupsSync(running);
        live.delete(running);
        log(running.removeDir ? `removed ${dir}` : `kept ${dir}`);
      },
    };
    return cp;
  } catch (e) {
    await stopAll().catch(() => {});
    killGroupsSync(running);
    live.delete(running);
    if (e instanceof Error && !running.removeDir) e.message += ` (logs in ${logs})`;
    throw e;
  }
}

/**
 * Renders a kustomization (e.g. `deploy/base`) exactly as `kubectl apply -k` would, with the kustomize
 * that build.sh built.
 */
export function kustomizeBuild(dir: string): KubeObject[] {
  const kustomize = builtBinary('kustomize');
  if (!kustomize) throw new Error('kustomize is not built: run `bash e2e/cluster/build.sh`');
  const text = execFileSync(kustomize, ['build', dir], { encoding: 'utf8' });
  return parseAllDocuments(text).flatMap((d) => {
    if (d.errors.length > 0) throw new Error(`kustomize build ${dir}: ${d.errors[0]?.message}`);
    const v = d.toJS() as KubeObject | null;
    return v === null ? [] : [v];
  });
}

/** The REST path of an object, for the core group and named groups alike (namespaced or not). */
export function resourcePath(obj: KubeObject): string {
  const plural = PLURALS[obj.kind] ?? `${obj.kind.toLowerCase()}s`;
  const base = obj.apiVersion.includes('/') ? `/apis/${obj.apiVersion}` : `/api/${obj.apiVersion}`;
  const ns = obj.metadata.namespace ? `/namespaces/${encodeURIComponent(obj.metadata.namespace)}` : '';
  return `${base}${ns}/${plural}/${encodeURIComponent(obj.metadata.name)}`;
}

const PLURALS: Record<string, string> = {
  Ingress: 'ingresses',
  ServiceAccount: 'serviceaccounts',
  ClusterRole: 'clusterroles',
  ClusterRoleBinding: 'clusterrolebindings',
  RoleBinding: 'rolebindings',
  IngressClass: 'ingressclasses',
  EndpointSlice: 'endpointslices',
  NetworkPolicy: 'networkpolicies',
  PodSecurityPolicy: 'podsecuritypolicies',
};
