/**
 * Secret leaks from outside: with Secret reading on, no response of Chainboard carries a byte of any
 * private key of the cluster's TLS Secrets. The keys are read from the demo API server, as Chainboard
 * reads them; what is searched for is each key's secret numbers (the JWK's private fields: `d` for EC,
 * `d`, `p`, `q`, `dp`, `dq`, `qi` for RSA) in hex and in base64 at all three byte alignments, so any
 * encoding that carries them (PEM, DER, JSON, the Secret's own base64) is found, plus the PEM header.
 */
import { createPrivateKey } from 'node:crypto';
import type { BatteryEnv } from './env';
import { rawRequest, type RawRequest } from './http';
import { fail, verdict, type Check } from './report';
import { createShareLink } from './share';

interface SecretList {
  items: { type?: string; metadata: { namespace?: string; name: string }; data?: Record<string, string> }[];
}

/** One TLS Secret's key, as strings to look for. */
interface KeyNeedles {
  secret: string;
  needles: string[];
}

/** The base64 (and base64url) of `secret` at each of the three alignments a longer encoding can have. */
function base64Forms(secret: Buffer): string[] {
  const forms: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    // Whole 3-byte groups only: their characters depend on these bytes alone, whatever surrounds them.
    const part = secret.subarray(offset, offset + Math.floor((secret.length - offset) / 3) * 3);
    forms.push(part.toString('base64'), part.toString('base64url'));
  }
  return forms;
}

async function tlsKeys(env: BatteryEnv): Promise<KeyNeedles[]> {
  const res = await fetch(`${env.demo.url}/api/v1/secrets`, { signal: AbortSignal.timeout(5000) });
  const list = (await res.json()) as SecretList;
  const keys: KeyNeedles[] = [];
  for (const s of list.items) {
    const pem = s.data?.['tls.key'];
    if (s.type !== 'kubernetes.io/tls' || !pem) continue;
    const jwk = createPrivateKey(Buffer.from(pem, 'base64')).export({ format: 'jwk' }) as Record<string, string | undefined>;
    const needles = new Set<string>();
    for (const field of ['d', 'p', 'q', 'dp', 'dq', 'qi']) {
      const value = jwk[field];
      if (!value) continue;
      const bytes = Buffer.from(value, 'base64url');
      for (const form of base64Forms(bytes)) needles.add(form);
      needles.add(bytes.toString('hex'));
      needles.add(bytes.toString('hex').toUpperCase());
    }
    keys.push({ secret: `${s.metadata.namespace}/${s.metadata.name}`, needles: [...needles].filter((n) => n.length >= 16) });
  }
  return keys;
}

/** Every kind of response: pages (HTML and RSC), API, badges, metrics, share pages, link previews. */
async function targets(env: BatteryEnv, keys: readonly KeyNeedles[]): Promise<RawRequest[]> {
  const out: RawRequest[] = [];
  const add = (target: string, headers: Record<string, string> = {}) => out.push({ target, headers: { ...env.auth, ...headers } });
  add('/');
  add('/', { rsc: '1' });
  add('/api/v1/overview?limit=1000');
  add('/api/metrics');
  for (const ns of env.namespaces) {
    add(`/ns/${ns}`);
    add(`/ns/${ns}`, { rsc: '1' });
    add(`/api/v1/namespaces/${ns}`);
  }
  for (const host of env.hosts) {
    add(`/d/${host}`);
    add(`/d/${host}`, { rsc: '1' });
    add(`/api/v1/domains/${host}`);
    add(`/api/v1/domains/${host}/badge.svg`);
  }
  // Share pages and link previews cost more: those of the namespaces holding TLS Secrets are what matters.
  const secretNamespaces = new Set(keys.map((k) => k.secret.split('/')[0] ?? ''));
  for (const ns of secretNamespaces) {
    const res = await rawRequest(env.port, { target: `/api/v1/namespaces/${ns}`, headers: env.auth });
    if (res.status !== 200) continue;
    for (const { host } of (JSON.parse(res.body.toString()) as { domains: { host: string }[] }).domains) {
      const token = await createShareLink(env, host);
      out.push({ target: `/share/${token}` }, { target: `/share/${token}`, headers: { rsc: '1' } }, { target: `/api/v1/share/${token}/badge.svg` });
      add(`/d/${host}/opengraph-image`);
    }
  }
  return out;
}

const SCAN_LIMIT = 600;

/** No response carries a byte of a TLS Secret's private key. */
export const secretsCheck: Check<BatteryEnv> = {
  name: 'secrets-no-private-key-bytes-served',
  timeoutMs: 150_000,
  async run(env) {
    const keys = await tlsKeys(env);
    if (!keys.length) return fail('the demo cluster has no kubernetes.io/tls Secret with a key: nothing to look for');
    const list = (await targets(env, keys)).slice(0, SCAN_LIMIT);
    const hits: string[] = [];
    let bytes = 0;
    let errors = 0;
    for (const req of list) {
      const res = await rawRequest(env.port, req).catch(() => undefined);
      if (!res || res.status >= 500) errors++;
      if (!res) continue;
      bytes += res.body.length;
      // Line breaks and JSON's escaped ones may split an encoding: search with them removed too.
      const text = res.body.toString('latin1');
      const joined = text.replace(/\\[nr]|\s+/g, '');
      if (/PRIVATE KEY-----/.test(text)) hits.push(`${req.target}: a PEM private key header`);
      for (const k of keys) if (k.needles.some((n) => text.includes(n) || joined.includes(n))) hits.push(`${req.target}: key of ${k.secret}`);
    }
    const evidence = `${keys.length} private keys (${keys.map((k) => k.secret).join(', ')}), ${keys.reduce((a, k) => a + k.needles.length, 0)} encodings searched in ${list.length} responses (${(bytes / 1e6).toFixed(1)} MB): ${
      hits.length ? `FOUND ${hits.slice(0, 5).join('; ')}` : '0 bytes of any key'
    }${errors ? `; ${errors} requests failed or answered 5xx` : ''}`;
    return verdict(!hits.length && !errors, evidence);
  },
};
