import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError, parseConfig, truthy } from './config';

describe('parseConfig', () => {
  test('with nothing set: the live cluster of the kubeconfig, cluster-wide, the hst- prefix, probes on, sign-in and sharing off', () => {
    const c = parseConfig({});
    assert.deepEqual(c.cluster, { mode: 'live', kubeconfig: undefined, targets: [{ name: 'default' }], namespaces: undefined, readSecrets: false, certManager: false, middlewares: false, ingressRoutes: false, stallAfterMs: 180_000 });
    assert.equal(c.namespacePrefix, 'hst-');
    assert.equal(c.probe.enabled, true);
    assert.equal(c.probeLoopbackOnly, false);
    assert.deepEqual(c.auth, { mode: 'off' });
    assert.equal(c.share.settings.enabled, false);
    assert.equal(c.share.revoked.size, 0);
    assert.equal(c.share.publicUrl, undefined);
    assert.equal(c.traefik, undefined, "Traefik's view is not checked unless its API is given");
  });

  test("Traefik's API, its poll interval and the Middleware watch come from their variables, the --traefik-api flag winning", () => {
    const c = parseConfig({ CHAINBOARD_TRAEFIK_API: 'http://traefik-api.traefik.svc:9000/', CHAINBOARD_TRAEFIK_POLL_SECONDS: '30', CHAINBOARD_TRAEFIK_MIDDLEWARES: '1' });
    assert.deepEqual(c.traefik, { api: 'http://traefik-api.traefik.svc:9000', intervalMs: 30_000, timeoutMs: 5_000 });
    assert.equal(c.cluster.mode === 'live' && c.cluster.middlewares, true);
    assert.equal(parseConfig({ CHAINBOARD_TRAEFIK_API: 'http://a:9000' }, { traefikApi: 'http://127.0.0.1:9000' }).traefik?.api, 'http://127.0.0.1:9000');
  });

  test("a Traefik API that is not a plain http(s) URL, or a bad poll interval, is named", () => {
    for (const [env, flag] of [
      [{ CHAINBOARD_TRAEFIK_API: 'traefik:9000' }, 'CHAINBOARD_TRAEFIK_API'],
      [{ CHAINBOARD_TRAEFIK_API: 'http://user:pw@traefik:9000' }, 'CHAINBOARD_TRAEFIK_API'],
      [{ CHAINBOARD_TRAEFIK_API: 'http://traefik:9000', CHAINBOARD_TRAEFIK_POLL_SECONDS: '1' }, 'CHAINBOARD_TRAEFIK_POLL_SECONDS'],
    ] as const) {
      assert.throws(() => parseConfig(env), (e: unknown) => e instanceof ConfigError && e.problems.some((p) => p.startsWith(flag)), JSON.stringify(env));
    }
  });

  test('reads the cluster section from the environment', () => {
    const c = parseConfig({
      CHAINBOARD_CONTEXT: 'prod',
      CHAINBOARD_NAMESPACES: 'hst-a, hst-b  hst-c,',
      CHAINBOARD_NAMESPACE_PREFIX: '',
      CHAINBOARD_READ_SECRETS: 'true',
      CHAINBOARD_CERT_MANAGER: '1',
      CHAINBOARD_TRAEFIK_INGRESSROUTES: '1',
    });
    assert.deepEqual(c.cluster, { mode: 'live', kubeconfig: undefined, targets: [{ name: 'default', context: 'prod' }], namespaces: ['hst-a', 'hst-b', 'hst-c'], readSecrets: true, certManager: true, middlewares: false, ingressRoutes: true, stallAfterMs: 180_000 });
    assert.equal(c.namespacePrefix, '');
  });

  test('the Gateway API is read only with CHAINBOARD_GATEWAY_API, with the shared namespaces of CHAINBOARD_GATEWAY_NAMESPACES', () => {
    const off = parseConfig({});
    assert.equal(off.cluster.mode === 'live' && off.cluster.gatewayApi, undefined);
    const on = parseConfig({ CHAINBOARD_GATEWAY_API: '1' });
    assert.deepEqual(on.cluster.mode === 'live' && on.cluster.gatewayApi, { gatewayNamespaces: [] });
    const shared = parseConfig({ CHAINBOARD_GATEWAY_API: 'true', CHAINBOARD_NAMESPACES: 'hst-a', CHAINBOARD_GATEWAY_NAMESPACES: 'gateway, edge' });
    assert.deepEqual(shared.cluster.mode === 'live' && shared.cluster.gatewayApi, { gatewayNamespaces: ['gateway', 'edge'] });
    // Shared namespaces without the switch read nothing.
    const notOn = parseConfig({ CHAINBOARD_GATEWAY_NAMESPACES: 'gateway' });
    assert.equal(notOn.cluster.mode === 'live' && notOn.cluster.gatewayApi, undefined);
  });

  test('CHAINBOARD_DUMP serves a dump; the CLI names its dumps with --from, and an empty --from means live', () => {
    assert.deepEqual(parseConfig({ CHAINBOARD_DUMP: '/tmp/dump.yaml' }).cluster, { mode: 'dump', paths: ['/tmp/dump.yaml'], name: 'default' });
    assert.deepEqual(parseConfig({ CHAINBOARD_DUMP: '/tmp/dump.yaml' }, { from: ['a.yaml', 'b'] }).cluster, { mode: 'dump', paths: ['a.yaml', 'b'], name: 'default' });
    assert.equal(parseConfig({ CHAINBOARD_DUMP: '/tmp/dump.yaml' }, { from: [] }).cluster.mode, 'live');
  });

  test('flags win over their variables', () => {
    const c = parseConfig(
      { CHAINBOARD_NAMESPACE_PREFIX: 'hst-', CHAINBOARD_CONTEXT: 'prod', CHAINBOARD_PROBE_PORT: '8443' },
      { namespacePrefix: 'client-', contexts: ['staging'], kubeconfig: '/k', probe: { 'probe-port': '9443' } },
    );
    assert.equal(c.namespacePrefix, 'client-');
    assert.deepEqual(c.cluster, { mode: 'live', kubeconfig: '/k', targets: [{ name: 'default', context: 'staging' }], namespaces: undefined, readSecrets: false, certManager: false, middlewares: false, ingressRoutes: false, stallAfterMs: 180_000 });
    assert.equal(c.probe.port, 9443);
  });

  test('every problem is reported at once, each naming its variable or flag', () => {
    assert.throws(
      () => parseConfig({ CHAINBOARD_PROBE_PORT: 'x', CHAINBOARD_PROBE_TIMEOUT_MS: '5', CHAINBOARD_NAMESPACE_PREFIX: 'HST_' }),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.deepEqual(err.problems, [
          'CHAINBOARD_PROBE_PORT must be a whole number from 1 to 65535, got "x"',
          'CHAINBOARD_PROBE_TIMEOUT_MS must be a whole number from 100 to 60000, got "5"',
          'CHAINBOARD_NAMESPACE_PREFIX must be the start of a namespace name (a-z, 0-9, -), got "HST_"',
        ]);
        assert.match(err.message, /^invalid configuration:\n {2}- CHAINBOARD_PROBE_PORT/);
        return true;
      },
    );
    assert.throws(() => parseConfig({}, { namespacePrefix: 'a b' }), /--namespace-prefix must be the start of a namespace name/);
  });

  test('the watch stall threshold: three minutes unless set; 0 turns it off; too short or not a number is a problem', () => {
    assert.equal((parseConfig({ CHAINBOARD_STALL_AFTER_SECONDS: '25' }).cluster as { stallAfterMs: number }).stallAfterMs, 25_000);
    assert.equal((parseConfig({ CHAINBOARD_STALL_AFTER_SECONDS: '0' }).cluster as { stallAfterMs: number }).stallAfterMs, 0);
    assert.throws(() => parseConfig({ CHAINBOARD_STALL_AFTER_SECONDS: '5' }), /CHAINBOARD_STALL_AFTER_SECONDS must be 0 \(off\) or a whole number of seconds from 10, got "5"/);
    assert.throws(() => parseConfig({ CHAINBOARD_STALL_AFTER_SECONDS: '1m' }), /CHAINBOARD_STALL_AFTER_SECONDS/);
  });

  test('sign-in, sharing and the public URL come from their variables', () => {
    const secret = 's'.repeat(32);
    const c = parseConfig({ CHAINBOARD_AUTH_TOKEN: 'a'.repeat(16), CHAINBOARD_SHARE_SECRET: secret, CHAINBOARD_PUBLIC_URL: 'https://cb.example.com', CHAINBOARD_PROBE_LOOPBACK_ONLY: 'yes' });
    assert.deepEqual(c.auth, { mode: 'token', token: 'a'.repeat(16) });
    assert.deepEqual(c.share.settings, { enabled: true, secret });
    assert.equal(c.share.publicUrl?.href, 'https://cb.example.com/');
    assert.equal(c.probeLoopbackOnly, true);
    assert.equal(parseConfig({ CHAINBOARD_PUBLIC_URL: 'ftp://x' }).share.publicUrl, undefined);
  });

  test('booleans: 1, true, yes and on switch on, in any case; anything else is off', () => {
    for (const v of ['1', 'true', 'YES', ' on ']) assert.equal(truthy(v), true, v);
    for (const v of [undefined, '', '0', 'off', 'no', 'enabled']) assert.equal(truthy(v), false, String(v));
  });

  test('history: embedded PGlite in ./data for 90 days by default; PostgreSQL with a URL; off for a dump or on request', () => {
    assert.deepEqual(parseConfig({}).history, { enabled: true, engine: { kind: 'pglite', dataDir: './data' }, retentionDays: 90, defaultCluster: 'default', demoPast: false });
    assert.deepEqual(
      parseConfig({ CHAINBOARD_DATABASE_URL: 'postgres://cb:pw@db:5432/chainboard', CHAINBOARD_HISTORY_DAYS: '30', CHAINBOARD_CLUSTER_NAME: 'eu-1', CHAINBOARD_DEMO_HISTORY: '1' }).history,
      { enabled: true, engine: { kind: 'postgres', url: 'postgres://cb:pw@db:5432/chainboard' }, retentionDays: 30, defaultCluster: 'eu-1', demoPast: true },
    );
    // Several named clusters: the first is the default one (a single-cluster store's rows become its).
    const two = parseConfig({ CHAINBOARD_CONTEXTS: 'eu=ctx-eu,us=ctx-us' }).history;
    assert.equal(two.enabled && two.defaultCluster, 'eu');
    const dir = parseConfig({ CHAINBOARD_DATA_DIR: '/var/lib/chainboard' }).history;
    assert.deepEqual(dir.enabled && dir.engine, { kind: 'pglite', dataDir: '/var/lib/chainboard' });
    const dump = parseConfig({ CHAINBOARD_DUMP: '/tmp/d.yaml' }).history;
    assert.equal(dump.enabled, false);
    assert.match(!dump.enabled ? dump.reason : '', /dump/);
    const off = parseConfig({ CHAINBOARD_HISTORY: 'off' }).history;
    assert.equal(off.enabled, false);
    assert.match(!off.enabled ? off.reason : '', /CHAINBOARD_HISTORY=off/);
  });

  test('history: bad settings are all listed, and a database URL is never echoed (it may hold a password)', () => {
    try {
      parseConfig({ CHAINBOARD_HISTORY_DAYS: '0', CHAINBOARD_DATABASE_URL: 'mysql://u:secret@h/db', CHAINBOARD_CLUSTER_NAME: 'EU_1' });
      assert.fail('expected a ConfigError');
    } catch (e) {
      assert.ok(e instanceof ConfigError);
      assert.equal(e.problems.length, 3, e.message);
      assert.match(e.message, /CHAINBOARD_HISTORY_DAYS/);
      assert.match(e.message, /CHAINBOARD_DATABASE_URL must be a postgres/);
      assert.match(e.message, /CHAINBOARD_CLUSTER_NAME/);
      assert.doesNotMatch(e.message, /secret/);
    }
  });

  test('several clusters: CHAINBOARD_CONTEXTS lists contexts, each named after its context or name=context', () => {
    const live = (env: Record<string, string>, flags = {}) => {
      const c = parseConfig(env, flags).cluster;
      assert.equal(c.mode, 'live');
      return c.mode === 'live' ? c : undefined!;
    };
    assert.deepEqual(live({ CHAINBOARD_CONTEXTS: 'gke_acme_europe-west1_prod, eu2=kind-staging' }).targets, [
      { name: 'gke-acme-europe-west1-prod', context: 'gke_acme_europe-west1_prod' },
      { name: 'eu2', context: 'kind-staging' },
    ]);
    assert.deepEqual(live({ CHAINBOARD_CONTEXTS: 'prod', CHAINBOARD_CLUSTER_NAME: 'eu' }).targets, [{ name: 'eu', context: 'prod' }], 'one context keeps the single cluster name');
    const all = live({ CHAINBOARD_CONTEXTS: '*' });
    assert.equal(all.allContexts, true);
    assert.deepEqual(live({ CHAINBOARD_CONTEXTS: 'a,b' }, { contexts: ['c', 'd'] }).targets.map((t) => t.context), ['c', 'd'], '--context wins');
    assert.equal(live({ CHAINBOARD_REMOTE_KUBECONFIGS: '/etc/chainboard/clusters' }).remoteKubeconfigs, '/etc/chainboard/clusters');
  });

  test('bad cluster lists are named: a clash of names, a bad name, * beside others, CHAINBOARD_CONTEXT beside CHAINBOARD_CONTEXTS', () => {
    assert.throws(() => parseConfig({ CHAINBOARD_CONTEXTS: 'a_b,a-b' }), /two clusters are named "a-b"/);
    assert.throws(() => parseConfig({ CHAINBOARD_CONTEXTS: 'Prod=x' }), /cluster name "Prod" must be a DNS label/);
    assert.throws(() => parseConfig({ CHAINBOARD_CONTEXTS: '*,a' }), /"\*" \(every context\) stands alone/);
    assert.throws(() => parseConfig({ CHAINBOARD_CONTEXTS: 'a,b', CHAINBOARD_CONTEXT: 'a' }), /CHAINBOARD_CONTEXT and CHAINBOARD_CONTEXTS exclude each other/);
    assert.throws(() => parseConfig({ CHAINBOARD_CONTEXTS: 'eu=' }), /"eu=" names no context/);
  });
});
