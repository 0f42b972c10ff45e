/**
 * Chainboard's Prometheus rules (charts/chainboard/files/chainboard.rules.yaml) with the real promtool
 * (built by charts/build-tools.sh): `promtool check rules`, and `promtool test rules` with the unit tests
 * in chainboard.rules.test.yaml (input series -> the alerts that fire, with their labels and annotations).
 * Which metric names the rules may use is checked against /api/metrics in charts/chainboard/monitoring.test.ts;
 * here the rules are also evaluated over the real /api/metrics output of the sample cluster.
 *
 *   bash charts/build-tools.sh
 *   node --conditions=react-server --import tsx --test e2e/cluster/alerts.test.ts
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { sampleApp, withApp } from '../../lib/server/testing';
import { ROOT, run } from './chart-tools';

const FILES = join(ROOT, 'charts', 'chainboard', 'files');
const RULES = join(FILES, 'chainboard.rules.yaml');
const TESTS = join(FILES, 'chainboard.rules.test.yaml');

const alerts = () =>
  (parseYaml(readFileSync(RULES, 'utf8')) as { groups: { rules: { alert?: string }[] }[] }).groups.flatMap((g) => g.rules.map((r) => r.alert)).filter((a): a is string => !!a);

describe('the alert rules with promtool', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'chainboard-rules-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('pass promtool check rules', () => {
    const r = run('promtool', ['check', 'rules', RULES]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, new RegExp(`SUCCESS: ${alerts().length} rules found`));
  });

  it('pass their unit tests, which cover every alert firing and not yet firing', () => {
    const r = run('promtool', ['test', 'rules', TESTS]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /SUCCESS/);
    const tests = parseYaml(readFileSync(TESTS, 'utf8')) as {
      tests: { alert_rule_test: { alertname: string; exp_alerts: unknown[] }[] }[];
    };
    const cases = tests.tests.flatMap((t) => t.alert_rule_test);
    for (const a of alerts()) {
      assert.ok(cases.some((c) => c.alertname === a && c.exp_alerts.length > 0), `${a} is tested firing`);
      assert.ok(cases.some((c) => c.alertname === a && c.exp_alerts.length === 0), `${a} is tested not (yet) firing`);
    }
  });

  it('fail their unit tests when an alert loses its routing labels (the tests can fail)', () => {
    // The same rules with the domain alert no longer grouped by host: promtool must report the mismatch.
    const broken = readFileSync(RULES, 'utf8').replace(
      'max by (cluster, namespace, host) (chainboard_domain_health{health="down"})',
      'max by (cluster, namespace) (chainboard_domain_health{health="down"})',
    );
    assert.notEqual(broken, readFileSync(RULES, 'utf8'), 'the edit applies');
    writeFileSync(join(scratch, 'chainboard.rules.yaml'), broken);
    writeFileSync(join(scratch, 'chainboard.rules.test.yaml'), readFileSync(TESTS, 'utf8'));
    const r = run('promtool', ['test', 'rules', join(scratch, 'chainboard.rules.test.yaml')]);
    assert.notEqual(r.status, 0, r.stdout);
    assert.match(r.stdout + r.stderr, /ChainboardDomainDown/);
  });

  it('reject a rules file with a broken expression (check rules can fail)', () => {
    const file = join(scratch, 'broken.rules.yaml');
    writeFileSync(file, 'groups:\n  - name: x\n    rules:\n      - alert: Broken\n        expr: max by (host (chainboard_ready)\n');
    const r = run('promtool', ['check', 'rules', file]);
    assert.notEqual(r.status, 0);
  });

  it('fire ChainboardDomainDown for exactly the sample cluster’s down domains, evaluated over its real /api/metrics output', { timeout: 120_000 }, async () => {
    const text = await withApp(sampleApp(), async () => {
      const { GET } = await import('../../app/api/metrics/route');
      const res = await GET(new Request('http://127.0.0.1/api/metrics'));
      assert.equal(res.status, 200);
      return res.text();
    });
    // Every chainboard_* sample, held for the 10 minutes promtool evaluates.
    const series: { series: string; values: string }[] = [];
    for (const line of text.split('\n')) {
      const m = /^(chainboard_[a-zA-Z0-9_:]*)(\{.*\})? (\S+)$/.exec(line);
      if (m) series.push({ series: `${m[1]}${m[2] ?? ''}`, values: `${m[3] === '+Inf' ? 'Inf' : m[3]}x10` });
    }
    assert.ok(series.some((s) => s.series.startsWith('chainboard_domain_health{')), 'the sample cluster’s domains are in the output');
    // Every series names its cluster (the label Alertmanager routes on); the sample is one cluster.
    const clusters = new Set([...text.matchAll(/^chainboard_domain_health\{[^}]*\bcluster="([^"]+)"/gm)].map((m) => m[1]!));
    assert.equal(clusters.size, 1, `one cluster label on the sample's domains: ${[...clusters].join(', ')}`);
    const [cluster] = [...clusters] as [string];

    // The expected alerts: the sample cluster's README table of domains (host | namespace | health).
    const readme = readFileSync(join(ROOT, 'samples', 'cluster', 'README.md'), 'utf8');
    const down = [...readme.matchAll(/^\| `([^`]+)` \| (hst-[a-z-]+) \| down \|/gm)].map((m) => ({ host: m[1]!, namespace: m[2]! }));
    assert.ok(down.length >= 5, 'the sample cluster has down domains');
    const rule = (parseYaml(readFileSync(RULES, 'utf8')) as { groups: { rules: { alert?: string; annotations: Record<string, string> }[] }[] }).groups
      .flatMap((g) => g.rules)
      .find((r) => r.alert === 'ChainboardDomainDown')!;
    const fill = (t: string, d: { host: string; namespace: string }) => t.replaceAll('{{ $labels.host }}', d.host).replaceAll('{{ $labels.namespace }}', d.namespace);
    const test = {
      rule_files: [RULES],
      evaluation_interval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: series,
          alert_rule_test: [
            {
              eval_time: '9m',
              alertname: 'ChainboardDomainDown',
              exp_alerts: down.map((d) => ({
                exp_labels: { severity: 'critical', cluster, namespace: d.namespace, host: d.host },
                exp_annotations: { summary: fill(rule.annotations.summary!, d), description: fill(rule.annotations.description!, d) },
              })),
            },
            // The sample is synced and fresh: none of Chainboard's own alerts fire.
            ...['ChainboardClusterUnreachable', 'ChainboardDataStale', 'ChainboardMetricsAbsent'].map((alertname) => ({ eval_time: '9m', alertname, exp_alerts: [] })),
          ],
        },
      ],
    };
    const file = join(scratch, 'sample.rules.test.json');
    // promtool reads YAML, of which JSON is a subset.
    writeFileSync(file, JSON.stringify(test, null, 1));
    const r = run('promtool', ['test', 'rules', file]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /SUCCESS/);
  });
});
