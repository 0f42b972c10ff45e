import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { analyze } from '../chain';
import { loadDump } from '../cluster/dump';
import type { ClusterState } from '../api/source';
import { createMetrics } from './registry';
import { getApp, setApp } from '../server/current';
import { instrument } from './instrument';

const SAMPLE = join(__dirname, '..', '..', 'samples', 'cluster');
// getApp() builds the process's app from the environment: make it serve the sample dump, never a live
// cluster watch.
process.env.CHAINBOARD_DUMP = SAMPLE;
const now = new Date('2026-11-26T09:30:00Z');
const result = analyze(loadDump(SAMPLE).snapshot, { now });
const state: ClusterState = {
  name: 'default',
  result,
  sync: {
    ready: true,
    syncedAt: '2026-11-26T09:29:30.000Z',
    kinds: [
      { kind: 'Ingress', state: 'synced', since: '2026-11-26T09:00:00Z' },
      { kind: 'Secret', namespace: 'hst-umbrella', state: 'forbidden', message: 'secrets is forbidden' },
    ],
  },
};

/** The README's domain table: host -> health. */
const README = readFileSync(join(SAMPLE, 'README.md'), 'utf8');
const documented = new Map(
  [...README.matchAll(/^\| `([^`]+)` \| (hst-[a-z-]+) \| (healthy|degraded|down|unknown) \|/gm)].map((m) => [m[1]!, { namespace: m[2]!, health: m[3]! }]),
);

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parse the Prometheus text format (enough of it: no escapes beyond \" \\ \n in label values). */
function parse(text: string): { samples: Sample[]; types: Map<string, string> } {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const t = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (t) {
      types.set(t[1]!, t[2]!);
      continue;
    }
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    assert.ok(m, `not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!.replace(/\\(.)/g, '$1');
    samples.push({ name: m[1]!, labels, value: m[3] === '+Inf' ? Infinity : Number(m[3]) });
  }
  return { samples, types };
}

const find = (samples: Sample[], name: string, labels: Record<string, string>) =>
  samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));

describe('metrics', () => {
  const metrics = createMetrics(async () => [state], () => now);

  test('the README documents the 34 sample domains the metrics are checked against', () => {
    assert.equal(documented.size, 34);
  });

  test('parse as Prometheus text with the documented types', async () => {
    const { types } = parse(await metrics.registry.metrics());
    assert.equal(metrics.registry.contentType, 'text/plain; version=0.0.4; charset=utf-8');
    assert.deepEqual(Object.fromEntries(types), {
      chainboard_ready: 'gauge',
      chainboard_domain_health: 'gauge',
      chainboard_findings: 'gauge',
      chainboard_certificate_expiry_seconds: 'gauge',
      chainboard_certificate_lifetime_seconds: 'gauge',
      chainboard_cache_synced: 'gauge',
      chainboard_cache_age_seconds: 'gauge',
      chainboard_cache_stale: 'gauge',
      chainboard_http_request_duration_seconds: 'histogram',
    });
  });

  test('carry every sample domain with its documented health as 1 and the other healths as 0', async () => {
    const { samples } = parse(await metrics.registry.metrics());
    const health = samples.filter((s) => s.name === 'chainboard_domain_health');
    assert.equal(health.length, documented.size * 4);
    for (const [host, want] of documented) {
      const rows = health.filter((s) => s.labels.host === host);
      assert.equal(rows.length, 4, host);
      assert.deepEqual(
        rows.filter((r) => r.value === 1).map((r) => [r.labels.namespace, r.labels.health]),
        [[want.namespace, want.health]],
        host,
      );
    }
  });

  test('count findings by code, severity and namespace', async () => {
    const { samples } = parse(await metrics.registry.metrics());
    const value = (code: string, severity: string, namespace: string) => find(samples, 'chainboard_findings', { code, severity, namespace })[0]?.value;
    assert.equal(value('service.no-ready-endpoints', 'critical', 'hst-acme'), 1);
    assert.equal(value('pod.crash-loop', 'warning', 'hst-acme'), 2);
    assert.equal(value('tls.secret-cert-expired', 'critical', 'hst-umbrella'), 1);
    assert.equal(value('ingress.no-rules', 'warning', 'hst-globex'), 1, 'namespace-level findings count too');
    const total = samples.filter((s) => s.name === 'chainboard_findings').reduce((n, s) => n + s.value, 0);
    const expected = result.domains.reduce((n, d) => n + d.findings.length, 0) + result.namespaces.reduce((n, ns) => n + ns.findings.length, 0);
    assert.equal(total, expected);
  });

  test('give seconds to certificate expiry, negative once expired', async () => {
    const { samples } = parse(await metrics.registry.metrics());
    const billing = find(samples, 'chainboard_certificate_expiry_seconds', { host: 'billing.umbrella.junovy.com' });
    assert.deepEqual(billing.map((s) => [s.labels.source, s.labels.namespace, s.value]), [
      ['secret', 'hst-umbrella', (Date.parse('2026-10-31T23:59:59Z') - now.getTime()) / 1000],
    ]);
    const portal = find(samples, 'chainboard_certificate_expiry_seconds', { host: 'portal.umbrella.junovy.com' })[0];
    assert.ok(portal && portal.value > 365 * 86400, 'valid until 2036');
  });

  test('give each certificate’s lifetime with the same labels as its expiry', async () => {
    const { samples } = parse(await metrics.registry.metrics());
    const expiry = samples.filter((s) => s.name === 'chainboard_certificate_expiry_seconds');
    const lifetime = samples.filter((s) => s.name === 'chainboard_certificate_lifetime_seconds');
    const key = (s: Sample) => `${s.labels.host} ${s.labels.namespace} ${s.labels.source}`;
    assert.ok(expiry.length > 0);
    assert.deepEqual(lifetime.map(key).sort(), expiry.map(key).sort());
    const billing = find(samples, 'chainboard_certificate_lifetime_seconds', { host: 'billing.umbrella.junovy.com' });
    const cert = result.domains.find((d) => d.host === 'billing.umbrella.junovy.com')!.tls.secretCertificate!;
    assert.deepEqual(billing.map((s) => [s.labels.source, s.value]), [['secret', (Date.parse(cert.notAfter) - Date.parse(cert.notBefore)) / 1000]]);
    assert.ok(billing[0]!.value > 0);
  });

  test('report cache sync per kind and namespace, and the age of the data', async () => {
    const { samples } = parse(await metrics.registry.metrics());
    assert.equal(find(samples, 'chainboard_cache_synced', { kind: 'Ingress', namespace: '' })[0]?.value, 1);
    assert.equal(find(samples, 'chainboard_cache_synced', { kind: 'Secret', namespace: 'hst-umbrella' })[0]?.value, 0);
    assert.equal(find(samples, 'chainboard_cache_age_seconds', {})[0]?.value, 30);
    assert.equal(find(samples, 'chainboard_cache_stale', {})[0]?.value, 0);
    assert.equal(find(samples, 'chainboard_ready', {})[0]?.value, 1);
  });

  test('read the source at each scrape, not once', async () => {
    let current: ClusterState[] | undefined;
    const m = createMetrics(async () => current, () => now);
    const before = parse(await m.registry.metrics()).samples;
    assert.equal(find(before, 'chainboard_ready', {})[0]?.value, 0);
    assert.equal(before.filter((s) => s.name === 'chainboard_domain_health').length, 0);
    current = [state];
    const after = parse(await m.registry.metrics()).samples;
    assert.equal(find(after, 'chainboard_ready', {})[0]?.value, 1);
    assert.equal(after.filter((s) => s.name === 'chainboard_domain_health').length, documented.size * 4);
    current = [{ name: 'default', sync: { ready: false, kinds: [], stale: { since: '2026-11-26T09:00:00Z' } } }];
    const stale = parse(await m.registry.metrics()).samples;
    assert.equal(stale.filter((s) => s.name === 'chainboard_domain_health').length, 0, 'a domain that is gone is no longer reported');
    assert.equal(find(stale, 'chainboard_cache_stale', {})[0]?.value, 1);
  });

  test('time instrumented handlers by route pattern, method and status, errors as 500', async () => {
    const m = createMetrics(async () => [state], () => now);
    const ok = instrument('/api/v1/domains/[host]', async () => new Response('{}', { status: 404 }), () => m);
    const boom = instrument('/api/v1/overview', async (): Promise<Response> => {
      throw new Error('boom');
    }, () => m);
    await ok(new Request('http://x/api/v1/domains/a.example.com'));
    await ok(new Request('http://x/api/v1/domains/b.example.com'));
    await assert.rejects(boom(new Request('http://x/api/v1/overview', { method: 'POST' })), /boom/);
    const { samples } = parse(await m.registry.metrics());
    assert.equal(find(samples, 'chainboard_http_request_duration_seconds_count', { route: '/api/v1/domains/[host]', method: 'GET', status: '404' })[0]?.value, 2);
    assert.equal(find(samples, 'chainboard_http_request_duration_seconds_count', { route: '/api/v1/overview', method: 'POST', status: '500' })[0]?.value, 1);
    assert.equal(find(samples, 'chainboard_http_request_duration_seconds_bucket', { route: '/api/v1/domains/[host]', le: '+Inf' })[0]?.value, 2);
    assert.ok(!samples.some((s) => s.labels.route?.includes('a.example.com')), 'hosts never become label values');
  });

  test('the process registry is created once and is not prom-client’s global one', async () => {
    const a = getApp().metrics;
    assert.equal(getApp().metrics, a);
    const { register } = await import('prom-client');
    assert.notEqual(a.registry, register);
    assert.equal(register.getSingleMetric('chainboard_domain_health'), undefined);
    const text = await a.registry.metrics();
    assert.match(text, /^process_cpu_user_seconds_total /m, 'with the default process metrics');
    await setApp(undefined)?.stop();
  });
});

test('down time counters: down and observed seconds per domain, read from the meter at scrape time', async () => {
  const { DowntimeMeter } = await import('./downtime');
  const meter = new DowntimeMeter();
  let clock = Date.parse('2026-11-26T09:30:00Z');
  meter.observe('default', result, true, clock);
  clock += 60_000;
  const m = createMetrics(async () => [state], () => new Date(clock), { downtime: meter });
  const text = await m.registry.metrics();
  const down = [...result.domains].find((d) => d.health === 'down')!;
  const healthy = [...result.domains].find((d) => d.health === 'healthy')!;
  const value = (name: string, host: string) => {
    const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(`host="${host}"`));
    assert.ok(line, `${name} for ${host} in:\n${text.slice(0, 400)}`);
    return Number(line.split(' ').pop());
  };
  assert.equal(value('chainboard_domain_down_seconds_total', down.host), 60);
  assert.equal(value('chainboard_domain_observed_seconds_total', down.host), 60);
  assert.equal(value('chainboard_domain_down_seconds_total', healthy.host), 0);
  assert.equal(value('chainboard_domain_observed_seconds_total', healthy.host), 60);
  assert.match(text, /# TYPE chainboard_domain_down_seconds_total counter/);
});
