/**
 * Test helpers shared by the demo server's and the live source's integration tests: the fixture cluster
 * and a line reader for watch streams. Not used at run time; bounded polling is lib/testing/net.ts.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The small kubectl-shaped dump the tests serve (three hst-* namespaces and kube-system). */
export const FIXTURE_DUMP = join(dirname(fileURLToPath(import.meta.url)), '__fixtures__', 'cluster.yaml');

/** One line of a watch stream: the event type and the object (a `Status` for ERROR). */
export interface WatchEventLine {
  type: string;
  object: { kind?: string; metadata?: { name?: string; namespace?: string; resourceVersion?: string }; code?: number; reason?: string; [k: string]: unknown };
}

/** An open watch stream read line by line with fetch; `events` fills as lines arrive. */
export interface StreamReader {
  status: number;
  events: WatchEventLine[];
  /** Resolves when the server ends the stream, or rejects after 5 s. */
  ended: Promise<void>;
  close(): void;
}

/** Opens a watch on `url` and reads its events as they arrive; `close()` ends it from the client side. */
export async function openWatch(url: string, headers: Record<string, string> = {}): Promise<StreamReader> {
  const controller = new AbortController();
  const res = await fetch(url, { headers, signal: controller.signal });
  const events: WatchEventLine[] = [];
  const ended = (async () => {
    if (!res.body) return;
    const decoder = new TextDecoder();
    let buf = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buf += decoder.decode(chunk, { stream: true });
        let i: number;
        while ((i = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, i).trim();
          buf = buf.slice(i + 1);
          if (line) events.push(JSON.parse(line) as WatchEventLine);
        }
      }
    } catch {
      // aborted by close(): the events so far stay readable
    }
  })();
  const bounded = new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => {
      controller.abort();
      reject(new Error(`watch ${url} did not end within 5 s`));
    }, 5000);
    void ended.then(() => {
      clearTimeout(t);
      resolve();
    });
  });
  bounded.catch(() => undefined);
  return { status: res.status, events, ended: bounded, close: () => controller.abort() };
}
