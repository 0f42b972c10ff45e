/**
 * Where `chainboard check` gets its snapshot. One function, so that the live-cluster mode (kubeconfig,
 * context, probes) slots in beside the dump mode without touching the rest of the command.
 */
import { existsSync } from 'node:fs';
import { loadDump, type DumpError } from '../cluster/dump';
import type { Snapshot } from '../model/snapshot';
import { KubeConfigError, locateKubeConfig, type KubeConfigSystem } from '../cluster/kubeconfig';
import type { ClusterConfig, ClusterTarget } from '../server/config';

type LiveCluster = Extract<ClusterConfig, { mode: 'live' }>;

/**
 * A snapshot and the problems met while reading it (each bad document of a dump), or the reason there is
 * no snapshot at all.
 */
export type SourceResult =
  | { ok: true; snapshot: Snapshot; problems: DumpError[]; description: string }
  | { ok: false; message: string };

/** Read a snapshot. Never throws: an unreadable source is `{ ok: false, message }`. */
export async function acquireSnapshot(
  req: ClusterConfig,
  opts: { target?: ClusterTarget; syncTimeoutMs?: number; unreachableAfterMs?: number; env?: Record<string, string | undefined> } = {},
): Promise<SourceResult> {
  switch (req.mode) {
    case 'dump': {
      const missing = req.paths.filter((p) => !existsSync(p));
      if (missing.length > 0) return { ok: false, message: `cannot read ${missing.join(', ')}: no such file or folder` };
      try {
        const { snapshot, errors } = loadDump(req.paths);
        return { ok: true, snapshot, problems: errors, description: `dump ${req.paths.join(', ')}` };
      } catch (e) {
        return { ok: false, message: `cannot read ${req.paths.join(', ')}: ${(e as Error).message}` };
      }
    }
    case 'live':
      return liveSnapshot(req, opts.target ?? req.targets[0] ?? { name: 'default' }, {
        timeoutMs: opts.syncTimeoutMs ?? 30_000,
        unreachableAfterMs: opts.unreachableAfterMs ?? UNREACHABLE_AFTER_MS,
        env: opts.env ?? process.env,
      });
  }
}

/**
 * How long every kind may fail to reach a cluster that never answered before the command gives up on
 * it. A refused connection or a rejected credential does not heal while a terminal waits, as kubectl
 * knows when it stops at once; a few seconds still ride out one dropped connection.
 */
const UNREACHABLE_AFTER_MS = 4_000;

/**
 * One list of every kind through the same watch caches the web app uses (so the same RBAC, pagination
 * and slimming), then stop. Forbidden kinds become gaps in the snapshot, as in the app. The answer waits
 * for every kind (at most `timeoutMs`), but not for a cluster no kind has reached for `unreachableAfterMs`.
 */
async function liveSnapshot(
  req: LiveCluster,
  target: ClusterTarget,
  { timeoutMs, unreachableAfterMs, env }: { timeoutMs: number; unreachableAfterMs: number; env: Record<string, string | undefined> },
): Promise<SourceResult> {
  // The kubeconfig is looked for before the Kubernetes client loads: without one there is nothing to
  // wait for, and the answer is one line, at once.
  const sys: KubeConfigSystem = { env, home: () => env.HOME || env.USERPROFILE || undefined, exists: existsSync };
  try {
    locateKubeConfig({ kubeconfig: target.kubeconfig ?? req.kubeconfig }, sys);
  } catch (e) {
    return { ok: false, message: kubeConfigMessage(e) };
  }
  const [{ LiveSource }, { loadKubeConfig }] = await Promise.all([import('../cluster/live'), import('../cluster/transport')]);
  let source: InstanceType<typeof LiveSource>;
  let where: string;
  let description: string;
  try {
    const kubeConfig = loadKubeConfig({ kubeconfig: target.kubeconfig ?? req.kubeconfig, context: target.context }, sys);
    where = `${kubeConfig.getCurrentContext()} (${kubeConfig.getCurrentCluster()?.server ?? '?'})`;
    description = `context ${kubeConfig.getCurrentContext()} at ${kubeConfig.getCurrentCluster()?.server ?? '?'}`;
    source = new LiveSource({ kubeConfig, namespaces: req.namespaces, withSecrets: req.readSecrets, withCertificates: req.certManager, withMiddlewares: req.middlewares, withIngressRoutes: req.ingressRoutes, withGatewayApi: req.gatewayApi ?? false });
  } catch (e) {
    return { ok: false, message: kubeConfigMessage(e) };
  }
  source.start();
  let timer: NodeJS.Timeout | undefined;
  let poll: NodeJS.Timeout | undefined;
  const startedAt = Date.now();
  try {
    const settled = await Promise.race([
      source.whenSettled().then(() => 'settled' as const),
      new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), timeoutMs))),
      new Promise<'unreachable'>((r) => {
        poll = setInterval(() => {
          if (Date.now() - startedAt >= unreachableAfterMs && neverReached(source.kinds(), source.namespaceList !== undefined)) r('unreachable');
        }, 250);
      }),
    ]);
    if (settled === 'unreachable') {
      const errors = [...new Set(source.kinds().flatMap((k) => (k.state === 'disconnected' ? [k.error] : [])))];
      return { ok: false, message: `cannot reach the cluster at ${where}: ${errors.join('; ')}` };
    }
    if (settled === 'timeout') {
      // Every kind usually fails for the same reason (the server is not there): that reason once, with
      // the kinds it holds up, rather than once per kind.
      const byState = new Map<string, string[]>();
      for (const k of source.kinds()) {
        if (k.state === 'synced' || k.state === 'forbidden' || k.state === 'not-installed') continue;
        const why = `${k.state}${'error' in k && k.error ? ` (${k.error})` : ''}`;
        byState.set(why, [...(byState.get(why) ?? []), `${k.kind}${k.namespace ? ` in ${k.namespace}` : ''}`]);
      }
      const waiting = [...byState].map(([why, kinds]) => `${kinds.join(', ')}: ${why}`);
      return { ok: false, message: `the cluster at ${where} did not answer within ${timeoutMs / 1000} s: ${waiting.join('; ')}` };
    }
    return { ok: true, snapshot: source.snapshot(), problems: [], description };
  } finally {
    if (timer) clearTimeout(timer);
    if (poll) clearInterval(poll);
    await source.stop();
  }
}

/**
 * Whether no kind has had an answer from the server yet: every one is disconnected, none listed or told
 * forbidden or not installed (which are answers). In namespace-list mode the Namespaces are the
 * configured ones, synced from the start without asking anyone: they do not count.
 */
function neverReached(kinds: readonly { kind: string; state: string }[], namespaceList: boolean): boolean {
  const asked = namespaceList ? kinds.filter((k) => k.kind !== 'Namespace') : kinds;
  return asked.length > 0 && asked.every((k) => k.state === 'disconnected');
}

/** One line for a kubeconfig that cannot be used; with none at all, how to give one (or read a dump). */
function kubeConfigMessage(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof KubeConfigError) return e.problem === 'none' ? `${message}; pass --kubeconfig FILE, or --from DUMP to read a dump` : message;
  return `cannot use the kubeconfig: ${message}`;
}
