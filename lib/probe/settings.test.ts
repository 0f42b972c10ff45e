import { strict as assert } from 'node:assert';
import { before, describe, test } from 'node:test';
import { parseArgs } from 'node:util';
import { createCa } from '../testing/pki';
import { DEFAULT_PROBE_SETTINGS, parseDnsServer, PROBE_FLAG_OPTIONS, ProbeSettingsError, probeSettingsFromFlags, type ReadOptions } from './settings';

// A CA bundle made at test time: the settings only need a PEM that parses.
let PEM = '';
before(async () => {
  PEM = (await createCa({ name: [{ CN: ['Settings Test CA'] }] })).certPem;
});

const errors = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ProbeSettingsError);
    return e.problems;
  }
  assert.fail('expected a ProbeSettingsError');
};

/** The settings of the environment alone, as lib/server/config.ts reads them when no flag is given. */
const fromEnv = (env: Record<string, string | undefined>, read?: ReadOptions) => probeSettingsFromFlags({}, env, read);

describe('probe settings from the environment', () => {
  test('an empty environment gives the defaults: probing on, port 443, 3 s timeout, 60 s TTL, system resolver', () => {
    assert.deepEqual(fromEnv({}), {
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
    assert.deepEqual(fromEnv({}), { ...DEFAULT_PROBE_SETTINGS, dnsServers: [] });
  });

  test('every variable is read, and DNS servers are normalised', () => {
    const s = fromEnv({
        CHAINBOARD_PROBE: 'off',
        CHAINBOARD_PROBE_ADDRESS: '127.0.0.2',
        CHAINBOARD_PROBE_PORT: '8443',
        CHAINBOARD_DNS_SERVERS: '127.0.0.1:5353, 10.0.0.53 ,[fd00::53]:53,[::1]',
        CHAINBOARD_PROBE_TIMEOUT_MS: '1500',
        CHAINBOARD_PROBE_TTL_MS: '20000',
        CHAINBOARD_PROBE_CONCURRENCY: '4',
        CHAINBOARD_PROBE_CA_FILE: '/etc/chainboard/ca.pem',
        CHAINBOARD_TLS_EXPIRING_FRACTION: '0.25',
        CHAINBOARD_HTTP_SLOW_MS: '750',
      },
      { readFile: (p) => (p === '/etc/chainboard/ca.pem' ? PEM : assert.fail(p)) },
    );
    assert.deepEqual(s, {
      enabled: false,
      address: '127.0.0.2',
      port: 8443,
      dnsServers: ['127.0.0.1:5353', '10.0.0.53', '[fd00::53]:53', '::1'],
      timeoutMs: 1500,
      ttlMs: 20_000,
      failureTtlMs: 5000,
      concurrency: 4,
      caFile: '/etc/chainboard/ca.pem',
      ca: PEM,
      expiringFraction: 0.25,
      httpSlowMs: 750,
    });
  });

  test('every invalid variable is reported at once, by name', () => {
    assert.deepEqual(
      errors(() =>
        fromEnv({
            CHAINBOARD_PROBE: 'maybe',
            CHAINBOARD_PROBE_ADDRESS: 'http://traefik',
            CHAINBOARD_PROBE_PORT: '70000',
            CHAINBOARD_DNS_SERVERS: 'dns.google,127.0.0.1:0',
            CHAINBOARD_PROBE_TIMEOUT_MS: '3s',
            CHAINBOARD_TLS_EXPIRING_FRACTION: '1.5',
            CHAINBOARD_PROBE_CA_FILE: '/nope.pem',
          },
          {
            readFile: () => {
              throw new Error('ENOENT: no such file or directory');
            },
          },
        ),
      ),
      [
        'CHAINBOARD_PROBE must be on or off, got "maybe"',
        'CHAINBOARD_PROBE_ADDRESS must be an IP address or a host name, got "http://traefik"',
        'CHAINBOARD_PROBE_PORT must be a whole number from 1 to 65535, got "70000"',
        'CHAINBOARD_PROBE_TIMEOUT_MS must be a whole number from 100 to 60000, got "3s"',
        'CHAINBOARD_DNS_SERVERS: "dns.google" is not an ip or ip:port (DNS servers are given by address, not by name)',
        'CHAINBOARD_DNS_SERVERS: "127.0.0.1:0" is not an ip or ip:port (DNS servers are given by address, not by name)',
        'CHAINBOARD_TLS_EXPIRING_FRACTION must be a number between 0 and 1 (e.g. 0.33), got "1.5"',
        'CHAINBOARD_PROBE_CA_FILE: cannot use "/nope.pem" as a PEM CA bundle: ENOENT: no such file or directory',
      ],
    );
  });

  test('a CA file without a certificate is refused', () => {
    assert.deepEqual(
      errors(() => fromEnv({ CHAINBOARD_PROBE_CA_FILE: '/ca.pem' }, { readFile: () => 'not a pem' })),
      ['CHAINBOARD_PROBE_CA_FILE: cannot use "/ca.pem" as a PEM CA bundle: no PEM certificate found'],
    );
  });

  test('the error message lists every problem', () => {
    const e = (() => {
      try {
        fromEnv({ CHAINBOARD_PROBE_PORT: 'x' });
      } catch (err) {
        return err as Error;
      }
    })();
    assert.equal(e?.message, 'invalid probe settings:\n  - CHAINBOARD_PROBE_PORT must be a whole number from 1 to 65535, got "x"');
  });
});

describe('probeSettingsFromFlags', () => {
  const parse = (args: string[]) => parseArgs({ args, options: PROBE_FLAG_OPTIONS, strict: true }).values;

  test('the check flags carry the same settings as the variables, --dns-server repeatable or comma-separated', () => {
    const s = probeSettingsFromFlags(
      parse(['--probe-address', 'traefik.kube-system.svc', '--probe-port', '8443', '--dns-server', '127.0.0.1:5353', '--dns-server', '127.0.0.2,127.0.0.3:53', '--tls-expiring-fraction', '0.2', '--http-slow-ms', '5000']),
    );
    assert.deepEqual(s, {
      ...DEFAULT_PROBE_SETTINGS,
      address: 'traefik.kube-system.svc',
      port: 8443,
      dnsServers: ['127.0.0.1:5353', '127.0.0.2', '127.0.0.3:53'],
      expiringFraction: 0.2,
      httpSlowMs: 5000,
    });
  });

  test('--no-probe turns probing off, even when the environment turns it on', () => {
    assert.equal(probeSettingsFromFlags(parse(['--no-probe']), { CHAINBOARD_PROBE: 'on' }).enabled, false);
  });

  test('flags override the environment variable by variable, and errors name where each value came from', () => {
    const s = probeSettingsFromFlags(parse(['--probe-port', '9443']), { CHAINBOARD_PROBE_PORT: '8443', CHAINBOARD_PROBE_TIMEOUT_MS: '1000' });
    assert.deepEqual([s.port, s.timeoutMs], [9443, 1000]);
    assert.deepEqual(errors(() => probeSettingsFromFlags(parse(['--probe-port', 'x']), { CHAINBOARD_PROBE_TTL_MS: 'soon' })), [
      '--probe-port must be a whole number from 1 to 65535, got "x"',
      'CHAINBOARD_PROBE_TTL_MS must be a whole number from 1000 to 86400000, got "soon"',
    ]);
  });
});

describe('parseDnsServer', () => {
  test('takes ip, ip:port, [v6] and [v6]:port, and refuses names and bad ports', () => {
    assert.deepEqual(
      ['1.1.1.1', '127.0.0.1:5353', '::1', '[::1]', '[fd00::1]:5353', 'dns.google', '1.1.1.1:99999', '[::1]:0', '1.1.1'].map(parseDnsServer),
      ['1.1.1.1', '127.0.0.1:5353', '::1', '::1', '[fd00::1]:5353', undefined, undefined, undefined, undefined],
    );
  });
});
