/**
 * The demo cluster's admin endpoint (demo/server.ts `/demo/v1/*`), for specs that change objects or
 * need the timeline to hold still. Only meaningful when SOURCE is `demo`.
 */
import { request, type APIRequestContext } from '@playwright/test';

/** The demo Kubernetes API server, as playwright.config.ts started it (`--api-port`). */
export const DEMO_API_URL = process.env.E2E_DEMO_API_URL ?? '';

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; namespace?: string; [k: string]: unknown };
  spec?: Record<string, unknown>;
  [k: string]: unknown;
}

export class DemoCluster {
  private constructor(private readonly api: APIRequestContext) {}

  static async connect(): Promise<DemoCluster> {
    if (!DEMO_API_URL) throw new Error('E2E_DEMO_API_URL is not set: the run does not use the demo cluster');
    return new DemoCluster(await request.newContext({ baseURL: DEMO_API_URL }));
  }

  /** GET an object by its API path, e.g. `/apis/networking.k8s.io/v1/namespaces/ns/ingresses/name`. */
  async get(path: string): Promise<KubeObject> {
    const res = await this.api.get(path);
    if (!res.ok()) throw new Error(`GET ${path}: ${res.status()} ${await res.text()}`);
    return (await res.json()) as KubeObject;
  }

  /** JSON merge patch of one object (arrays are replaced whole). */
  async patch(kind: string, namespace: string, name: string, patch: Record<string, unknown>): Promise<void> {
    const res = await this.api.post('/demo/v1/patch', { data: { kind, namespace, name, patch } });
    if (!res.ok()) throw new Error(`patch ${kind} ${namespace}/${name}: ${res.status()} ${await res.text()}`);
  }

  /** Creates or replaces objects (`kubectl apply`). */
  async apply(...objects: KubeObject[]): Promise<void> {
    const res = await this.api.post('/demo/v1/apply', { data: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }) });
    if (!res.ok()) throw new Error(`apply: ${res.status()} ${await res.text()}`);
  }

  /** Deletes one object; a missing one is not an error (clean-up code calls this). */
  async delete(kind: string, namespace: string, name: string): Promise<void> {
    const res = await this.api.post('/demo/v1/delete', { data: { kind, namespace, name } });
    if (!res.ok() && res.status() !== 404) throw new Error(`delete ${kind} ${namespace}/${name}: ${res.status()} ${await res.text()}`);
  }

  /** Takes the API server away for `seconds` (every watch cut), then brings it back with its data. */
  async outage(seconds: number): Promise<void> {
    const res = await this.api.post('/demo/v1/outage', { data: { seconds } });
    if (res.status() !== 202) throw new Error(`outage: ${res.status()} ${await res.text()}`);
  }

  /**
   * Refuses matching requests with a real-shaped 403 (demo/server.ts `ForbidRule`): with `token`, only
   * the requests of the client holding it, so a spec's own dashboard can be refused what the shared one
   * still reads. `allowAll()` removes the rules.
   */
  async forbid(rule: { token?: string; verb?: string | string[]; kind?: string; namespace?: string | null }): Promise<void> {
    const res = await this.api.post('/demo/v1/forbid', { data: rule });
    if (!res.ok()) throw new Error(`forbid: ${res.status()} ${await res.text()}`);
  }

  async allowAll(): Promise<void> {
    const res = await this.api.post('/demo/v1/allow');
    if (!res.ok()) throw new Error(`allow: ${res.status()} ${await res.text()}`);
  }

  /**
   * Holds LIST requests (of `token`'s client only, when given) for at most `seconds`: a client that
   * starts meanwhile stays syncing. Ends by itself; `releaseLists()` ends it early.
   */
  async holdLists(seconds: number, opts: { token?: string } = {}): Promise<void> {
    const res = await this.api.post('/demo/v1/hold-lists', { data: { seconds, ...opts } });
    if (res.status() !== 202) throw new Error(`hold-lists: ${res.status()} ${await res.text()}`);
  }

  async releaseLists(): Promise<void> {
    const res = await this.api.post('/demo/v1/release-lists');
    if (!res.ok()) throw new Error(`release-lists: ${res.status()} ${await res.text()}`);
  }

  /** A kubeconfig for this cluster whose user sends `token` (for a second dashboard, e2e/support/app-server.ts). */
  async kubeconfig(token: string): Promise<string> {
    const res = await this.api.get('/demo/v1/kubeconfig', { params: { token } });
    if (!res.ok()) throw new Error(`kubeconfig: ${res.status()} ${await res.text()}`);
    return res.text();
  }

  /** Whether the timeline is running. */
  async timelineRunning(): Promise<boolean> {
    const res = await this.api.get('/demo/v1/state');
    const state = (await res.json()) as { timeline?: { running?: boolean } };
    return state.timeline?.running === true;
  }

  /** Holds the timeline still while `fn` runs (restarting it only if it was running). */
  async withTimelinePaused<T>(fn: () => Promise<T>): Promise<T> {
    const was = await this.timelineRunning();
    if (was) await this.api.post('/demo/v1/timeline/stop');
    try {
      return await fn();
    } finally {
      if (was) await this.api.post('/demo/v1/timeline/start');
    }
  }

  async dispose(): Promise<void> {
    await this.api.dispose();
  }
}

/**
 * Runs `fn` with the demo timeline held still, so a page and the API can be compared; with the sample
 * dump (which never changes) it just runs `fn`.
 */
export async function holdStill<T>(fn: () => Promise<T>): Promise<T> {
  if (!DEMO_API_URL) return fn();
  const demo = await DemoCluster.connect();
  try {
    return await demo.withTimelinePaused(fn);
  } finally {
    await demo.dispose();
  }
}
