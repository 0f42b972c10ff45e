/**
 * Requests exactly as written: node's HTTP client sends the request target unchanged, so the battery can
 * ask for `/api//v1/overview`, `/api/v1/./overview`, `%FF` or an absolute-form target, which `fetch` would
 * normalise or refuse. Every request has a deadline, and bodies are read up to a cap.
 */
import { request, type IncomingHttpHeaders } from 'node:http';

/** A response as the battery reads it. */
export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** From sending the request to the end of the body. */
  ms: number;
}

/** What to send. `target` is the request target, sent as is. */
export interface RawRequest {
  method?: string;
  target: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Default 15 s; the request is destroyed after it. */
  timeoutMs?: number;
}

const BODY_CAP = 8 * 1024 * 1024;

/** Sends one request to `127.0.0.1:port` on a fresh connection. Rejects on a network error or the deadline. */
export function rawRequest(port: number, req: RawRequest): Promise<RawResponse> {
  const started = performance.now();
  const timeoutMs = req.timeoutMs ?? 15_000;
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { host: `127.0.0.1:${port}`, connection: 'close', ...req.headers };
    if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(req.body));
    const r = request({ host: '127.0.0.1', port, method: req.method ?? 'GET', path: req.target, headers, agent: false, setHost: false }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size <= BODY_CAP) chunks.push(c);
      });
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), ms: performance.now() - started });
      });
      res.on('error', reject);
    });
    const timer = setTimeout(() => r.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    r.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    r.end(req.body);
  });
}

/** `METHOD target -> status`, for evidence lines. */
export function shown(method: string, target: string, status: number | string): string {
  const t = target.length > 60 ? `${target.slice(0, 40)}...(${target.length} chars)` : target;
  return `${method} ${t} -> ${status}`;
}

/** Counts of each status, e.g. `303x4 401x12`. */
export function statusTally(statuses: readonly (number | string)[]): string {
  const counts = new Map<string, number>();
  for (const s of statuses) counts.set(String(s), (counts.get(String(s)) ?? 0) + 1);
  return [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([s, n]) => `${s}x${n}`).join(' ');
}
