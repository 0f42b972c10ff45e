/**
 * Talking to the control plane: kubeconfigs (client certificate or bearer token) and raw HTTPS requests
 * as the admin.
 *
 * @see https://kubernetes.io/docs/concepts/configuration/organize-cluster-access-kubeconfig/
 */
import { request as httpsRequest } from 'node:https';
import { stringify as toYaml } from 'yaml';
import type { IssuedCertificate } from '../../lib/testing/pki';

/** An API answer: status, the body parsed as JSON when it is JSON, and the raw text. */
export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
  text: string;
}

/** A raw request: body objects are sent as JSON (or as `contentType`). */
export type ApiRequest = <T = unknown>(method: string, path: string, body?: unknown, contentType?: string) => Promise<ApiResponse<T>>;

/** The admin's requests: `api` answers any status, `must` throws on a status outside 2xx. */
export interface AdminClient {
  api: ApiRequest;
  must<T>(method: string, path: string, body?: unknown, contentType?: string): Promise<T>;
}

/** A kubeconfig with one cluster, one user (client certificate and/or token) and its context. */
export function kubeconfigYaml(server: string, caPem: string, user: { cert?: IssuedCertificate; token?: string }, name: string): string {
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

/** HTTPS to the apiserver on 127.0.0.1:`port`, verified against `caCert`, authenticated with `admin`'s client certificate. */
export function adminClient(port: number, caCert: string, admin: IssuedCertificate): AdminClient {
  const api: ApiRequest = <T = unknown>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<ApiResponse<T>> =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
      const req = httpsRequest(
        {
          host: '127.0.0.1',
          port,
          method,
          path,
          ca: caCert,
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
  return { api, must };
}
