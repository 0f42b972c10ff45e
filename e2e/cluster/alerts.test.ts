/**
 * Chainboard's Prometheus rules (charts/chainboard/files/chainboard.rules.yaml) with the real promtool
 * (built by charts/build-tools.sh): `promtool check rules`, and `promtool test rules` with the unit tests
 * in chainboard.rules.test.yaml (input series -> the alerts that fire, with their labels and annotations).
 * Which metric names the rules may use is checked against /api/metrics in charts/chainboard/monitoring.test.ts.
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
});
