/**
 * Probe settings, read from the environment and `chainboard check` flags (lib/server/config.ts calls this).
 * Both use the same names: `CHAINBOARD_PROBE_PORT` is `--probe-port`, and so on. Every problem is reported
 * at once, naming the variable or flag, so a misconfiguration is fixed in one go.
 *
 * | env | flag | default |
 * |---|---|---|
 * | `CHAINBOARD_PROBE` (`on`/`off`) | `--probe` / `--no-probe` | on |
 * | `CHAINBOARD_PROBE_ADDRESS` | `--probe-address` | the Ingress `status.loadBalancer` |
 * | `CHAINBOARD_PROBE_PORT` | `--probe-port` | 443 |
 * | `CHAINBOARD_DNS_SERVERS` (comma-separated `ip[:port]`) | `--dns-server` (repeatable or comma-separated) | the system resolver |
 * | `CHAINBOARD_PROBE_TIMEOUT_MS` | `--probe-timeout-ms` | 3000 |
 * | `CHAINBOARD_PROBE_TTL_MS` | `--probe-ttl-ms` | 60000 (failures: a quarter of it, at most 15000) |
 * | `CHAINBOARD_PROBE_CONCURRENCY` | `--probe-concurrency` | 8 |
 * | `CHAINBOARD_PROBE_CA_FILE` (PEM, extra trusted roots) | `--probe-ca-file` | none |
 * | `CHAINBOARD_TLS_EXPIRING_FRACTION` | `--tls-expiring-fraction` | 0.3333 (a third of the lifetime left) |
 * | `CHAINBOARD_HTTP_SLOW_MS` | `--http-slow-ms` | 2000 (`http.slow` above it) |
 */
import 'server-only';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { parsePemChain } from '../cluster/certificate';

export interface ProbeSettings {
  /** `false` with `--no-probe` / `CHAINBOARD_PROBE=off`: no network check at all. */
  enabled: boolean;
  /** Dial this address instead of each Ingress's load-balancer address (e.g. the Traefik Service). */
  address?: string;
  port: number;
  /** `ip` or `ip:port` (`[v6]:port`); empty means the system resolver. */
  dnsServers: string[];
  timeoutMs: number;
  /** How long an ok result is reused before the host is probed again. */
  ttlMs: number;
  /** How long a failed result is reused: shorter, so a fix shows soon. */
  failureTtlMs: number;
  concurrency: number;
  /** The CA file's path, and its PEM (read and checked when the settings are built). */
  caFile?: string;
  ca?: string;
  /** `tls.cert-expiring` when less than this fraction of the certificate's lifetime is left. */
  expiringFraction: number;
  /** `http.slow` when an HTTP check takes longer than this (ms). */
  httpSlowMs: number;
}

export const DEFAULT_PROBE_SETTINGS: Readonly<ProbeSettings> = Object.freeze({
  enabled: true,
  port: 443,
  dnsServers: [],
  timeoutMs: 3000,
  ttlMs: 60_000,
  failureTtlMs: 15_000,
  concurrency: 8,
  expiringFraction: 1 / 3,
  httpSlowMs: 2000,
});

/** Thrown when settings do not validate; `problems` lists each one. */
export class ProbeSettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid probe settings:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ProbeSettingsError';
  }
}

/** Setting key -> [env name, flag name]. */
const NAMES = {
  probe: ['CHAINBOARD_PROBE', '--probe / --no-probe'],
  address: ['CHAINBOARD_PROBE_ADDRESS', '--probe-address'],
  port: ['CHAINBOARD_PROBE_PORT', '--probe-port'],
  dnsServers: ['CHAINBOARD_DNS_SERVERS', '--dns-server'],
  timeoutMs: ['CHAINBOARD_PROBE_TIMEOUT_MS', '--probe-timeout-ms'],
  ttlMs: ['CHAINBOARD_PROBE_TTL_MS', '--probe-ttl-ms'],
  concurrency: ['CHAINBOARD_PROBE_CONCURRENCY', '--probe-concurrency'],
  caFile: ['CHAINBOARD_PROBE_CA_FILE', '--probe-ca-file'],
  expiringFraction: ['CHAINBOARD_TLS_EXPIRING_FRACTION', '--tls-expiring-fraction'],
  httpSlowMs: ['CHAINBOARD_HTTP_SLOW_MS', '--http-slow-ms'],
} as const;
type Key = keyof typeof NAMES;

/**
 * The flags, in `node:util` `parseArgs` form, so the CLI declares them exactly as this module reads them.
 * `--dns-server` may repeat.
 */
export const PROBE_FLAG_OPTIONS = {
  probe: { type: 'boolean' },
  'no-probe': { type: 'boolean' },
  'probe-address': { type: 'string' },
  'probe-port': { type: 'string' },
  'dns-server': { type: 'string', multiple: true },
  'probe-timeout-ms': { type: 'string' },
  'probe-ttl-ms': { type: 'string' },
  'probe-concurrency': { type: 'string' },
  'probe-ca-file': { type: 'string' },
  'tls-expiring-fraction': { type: 'string' },
  'http-slow-ms': { type: 'string' },
} as const;

/** Parsed flag values as `parseArgs` returns them (names without the leading dashes). */
export type ProbeFlags = Partial<Record<keyof typeof PROBE_FLAG_OPTIONS, string | boolean | (string | boolean)[] | undefined>>;

/** Raw values, each with where it came from (0 = env, 1 = flag) so errors name the right one. */
type Raw = Partial<Record<Key, { value: string; from: 0 | 1 }>>;

export interface ReadOptions {
  /** Reads the CA file; injectable for tests. */
  readFile?: (path: string) => string;
}

// RFC 1123 host name (the override may name a Service's DNS name rather than an IP).
const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i;

/** Normalise one DNS server (`ip`, `ip:port`, `[v6]`, `[v6]:port`) to the form `Resolver.setServers` takes. */
export function parseDnsServer(s: string): string | undefined {
  const v = s.trim();
  if (isIP(v)) return v;
  const v6 = /^\[([0-9a-f:.]+)\](?::(\d+))?$/i.exec(v);
  if (v6 && v6[1] && isIP(v6[1]) === 6) {
    if (v6[2] === undefined) return v6[1];
    return validPort(v6[2]) ? `[${v6[1]}]:${Number(v6[2])}` : undefined;
  }
  const v4 = /^([0-9.]+):(\d+)$/.exec(v);
  if (v4 && v4[1] && isIP(v4[1]) === 4 && v4[2] && validPort(v4[2])) return `${v4[1]}:${Number(v4[2])}`;
  return undefined;
}

function validPort(s: string): boolean {
  const n = Number(s);
  return /^\d+$/.test(s) && n >= 1 && n <= 65535;
}

function build(input: Raw, read: ReadOptions): ProbeSettings {
  const problems: string[] = [];
  const name = (k: Key) => NAMES[k][input[k]?.from ?? 0];
  const raw: Partial<Record<Key, string>> = {};
  for (const k of Object.keys(input) as Key[]) raw[k] = input[k]?.value;
  const s: ProbeSettings = { ...DEFAULT_PROBE_SETTINGS, dnsServers: [] };

  const int = (k: Key, min: number, max: number): number | undefined => {
    const v = raw[k]?.trim();
    if (v === undefined || v === '') return undefined;
    const n = Number(v);
    if (!/^\d+$/.test(v) || n < min || n > max) {
      problems.push(`${name(k)} must be a whole number from ${min} to ${max}, got "${raw[k]}"`);
      return undefined;
    }
    return n;
  };

  if (raw.probe !== undefined && raw.probe.trim() !== '') {
    const v = raw.probe.trim().toLowerCase();
    if (['on', 'true', '1', 'yes'].includes(v)) s.enabled = true;
    else if (['off', 'false', '0', 'no'].includes(v)) s.enabled = false;
    else problems.push(`${name('probe')} must be on or off, got "${raw.probe}"`);
  }

  const address = raw.address?.trim();
  if (address) {
    const bare = address.replace(/^\[(.*)\]$/, '$1');
    if (isIP(bare) || HOSTNAME.test(address)) s.address = bare;
    else problems.push(`${name('address')} must be an IP address or a host name, got "${raw.address}"`);
  }

  s.port = int('port', 1, 65535) ?? s.port;
  s.timeoutMs = int('timeoutMs', 100, 60_000) ?? s.timeoutMs;
  s.ttlMs = int('ttlMs', 1000, 24 * 60 * 60 * 1000) ?? s.ttlMs;
  s.failureTtlMs = Math.min(15_000, Math.max(1000, Math.round(s.ttlMs / 4)));
  s.concurrency = int('concurrency', 1, 256) ?? s.concurrency;
  s.httpSlowMs = int('httpSlowMs', 1, 10 * 60_000) ?? s.httpSlowMs;

  if (raw.dnsServers !== undefined) {
    for (const part of raw.dnsServers.split(',').map((p) => p.trim()).filter(Boolean)) {
      const server = parseDnsServer(part);
      if (server) s.dnsServers.push(server);
      else problems.push(`${name('dnsServers')}: "${part}" is not an ip or ip:port (DNS servers are given by address, not by name)`);
    }
  }

  const fraction = raw.expiringFraction?.trim();
  if (fraction) {
    const f = Number(fraction);
    if (!Number.isFinite(f) || f <= 0 || f >= 1) problems.push(`${name('expiringFraction')} must be a number between 0 and 1 (e.g. 0.33), got "${raw.expiringFraction}"`);
    else s.expiringFraction = f;
  }

  const caFile = raw.caFile?.trim();
  if (caFile) {
    s.caFile = caFile;
    try {
      const pem = (read.readFile ?? ((p: string) => readFileSync(p, 'utf8')))(caFile);
      parsePemChain(pem);
      s.ca = pem;
    } catch (e) {
      problems.push(`${name('caFile')}: cannot use "${caFile}" as a PEM CA bundle: ${(e as Error).message}`);
    }
  }

  if (problems.length) throw new ProbeSettingsError(problems);
  return s;
}

function envRaw(env: Record<string, string | undefined>): Raw {
  const raw: Raw = {};
  for (const k of Object.keys(NAMES) as Key[]) {
    const v = env[NAMES[k][0]];
    if (v !== undefined) raw[k] = { value: v, from: 0 };
  }
  return raw;
}

/**
 * Settings from `chainboard check` flags (`parseArgs` values with {@link PROBE_FLAG_OPTIONS}). When `env` is
 * given its settings are the base and flags override them, variable by variable. Throws `ProbeSettingsError`.
 */
export function probeSettingsFromFlags(flags: ProbeFlags, env?: Record<string, string | undefined>, read: ReadOptions = {}): ProbeSettings {
  const raw: Raw = env ? envRaw(env) : {};
  const one = (v: ProbeFlags[keyof ProbeFlags]): string | undefined => {
    const last = Array.isArray(v) ? v[v.length - 1] : v;
    return last === undefined ? undefined : String(last);
  };
  if (flags['no-probe'] === true) raw.probe = { value: 'off', from: 1 };
  else if (flags.probe === true) raw.probe = { value: 'on', from: 1 };
  const set = (k: Key, flag: keyof ProbeFlags) => {
    const v = one(flags[flag]);
    if (v !== undefined) raw[k] = { value: v, from: 1 };
  };
  set('address', 'probe-address');
  set('port', 'probe-port');
  set('timeoutMs', 'probe-timeout-ms');
  set('ttlMs', 'probe-ttl-ms');
  set('concurrency', 'probe-concurrency');
  set('caFile', 'probe-ca-file');
  set('expiringFraction', 'tls-expiring-fraction');
  set('httpSlowMs', 'http-slow-ms');
  const dns = flags['dns-server'];
  if (dns !== undefined) raw.dnsServers = { value: (Array.isArray(dns) ? dns : [dns]).map(String).join(','), from: 1 };
  return build(raw, read);
}
