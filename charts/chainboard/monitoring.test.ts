// The alert rules and the Grafana dashboard may only query metrics Chainboard really exports: the names
// are read from GET /api/metrics of the app as production builds it (the route handler, over the sample
// cluster loaded as a dump, with the default process metrics), never from a hand-written list.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { parse as parseYaml } from 'yaml';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const RULES = join(HERE, 'files', 'chainboard.rules.yaml');
const DASHBOARD = join(HERE, 'files', 'chainboard-dashboard.json');

// The process's app is built from the environment on first use: make it serve the sample dump.
process.env.CHAINBOARD_DUMP = join(ROOT, 'samples', 'cluster');

/** Sample names of the text format: a histogram's samples are <name>_bucket, _sum and _count, a summary's <name>, _sum and _count. */
export function exportedNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const m of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    const [, name, type] = m as unknown as [string, string, string];
    if (type === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(name + s);
    else if (type === 'summary') for (const s of ['', '_sum', '_count']) names.add(name + s);
    else names.add(name);
  }
  // Every sample line's name too (a sample without a TYPE line would otherwise go unnoticed).
  for (const m of text.matchAll(/^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]/gm)) names.add(m[1]!);
  return names;
}

const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'inf', 'nan', 'atan2']);

/** The metric names a PromQL expression selects (Grafana's $variables allowed). */
export function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\$\{?\w+\}?/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names: string[] = [];
  for (const m of stripped.matchAll(/(?<![\w.:])([a-zA-Z_:][a-zA-Z0-9_:]*)(?![\w:])(?!\s*\()/g)) {
    const id = m[1]!;
    if (!KEYWORDS.has(id.toLowerCase())) names.push(id);
  }
  return names;
}

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  labels?: Record<string, string>;
}

/** Every expression of the dashboard: its panels' targets (rows included) and its query variables. */
function dashboardQueries(d: { panels: Panel[]; templating: { list: { name: string; type: string; query?: unknown }[] } }): { where: string; expr: string }[] {
  const out: { where: string; expr: string }[] = [];
  const walk = (panels: Panel[]) => {
    for (const p of panels) {
      for (const t of p.targets ?? []) out.push({ where: `panel "${p.title}" ${t.refId}`, expr: t.expr });
      walk(p.panels ?? []);
    }
  };
  walk(d.panels);
  for (const v of d.templating.list) {
    if (v.type !== 'query') continue;
    const q = typeof v.query === 'string' ? v.query : (v.query as { query: string }).query;
    // label_values(<selector>, <label>): the selector is PromQL, the label is not a metric.
    const m = /^label_values\((.*),\s*\w+\)$/.exec(q);
    assert.ok(m, `variable ${v.name}: a label_values query, got ${q}`);
    out.push({ where: `variable ${v.name}`, expr: m[1]! });
  }
  return out;
}

/**
 * The metric selectors of an expression that do not filter by the dashboard's cluster
 * (`{cluster=~"$cluster"}`): a bare name, or braces without that matcher.
 */
export function unfilteredByCluster(expr: string): string[] {
  const selectors = [...expr.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\s*\{([^}]*)\}/g)];
  const filtered = selectors.filter((m) => /(^|,)\s*cluster\s*=~\s*"\$cluster"\s*(,|$)/.test(m[2]!)).map((m) => m[1]!);
  const out: string[] = [];
  for (const name of metricNames(expr)) {
    const at = filtered.indexOf(name);
    if (at >= 0) filtered.splice(at, 1);
    else out.push(name);
  }
  return out;
}

interface Panel {
  id: number;
  title: string;
  type: string;
  datasource?: { type: string; uid: string };
  targets?: { refId: string; expr: string; datasource?: { uid: string } }[];
  panels?: Panel[];
  gridPos: { x: number; y: number; w: number; h: number };
}

describe('alert rules and dashboard against the metrics Chainboard exports', () => {
  let exported = new Set<string>();
  let stopApp: () => Promise<void> = async () => {};

  before(async () => {
    const { getApp, setApp } = await import('../../lib/server/current');
    const route = await import('../../app/api/metrics/route');
    const app = getApp();
    stopApp = async () => {
      await setApp(undefined)?.stop();
    };
    // One API request first, so the latency histogram has samples of its own as well as its TYPE line.
    const { GET: readyz } = await import('../../app/api/readyz/route');
    await readyz(new Request('http://127.0.0.1/api/readyz'));
    const res = await route.GET(new Request('http://127.0.0.1/api/metrics'));
    assert.equal(res.status, 200);
    exported = exportedNames(await res.text());
    assert.ok(app.metrics.registry, 'the process app answered');
  });
  after(() => stopApp());

  test('the metrics text holds Chainboard’s own metrics and the process ones', () => {
    for (const n of ['chainboard_domain_health', 'chainboard_certificate_expiry_seconds', 'chainboard_certificate_lifetime_seconds', 'chainboard_http_request_duration_seconds_bucket', 'process_resident_memory_bytes']) {
      assert.ok(exported.has(n), `${n} in ${[...exported].join(', ')}`);
    }
  });

  test('the name extraction finds metrics, not functions, labels, keywords or variables, and so can fail', () => {
    assert.deepEqual(
      metricNames('histogram_quantile(0.95, sum by (le, route) (rate(chainboard_http_request_duration_seconds_bucket{cluster=~"$cluster"}[5m])))'),
      ['chainboard_http_request_duration_seconds_bucket'],
    );
    assert.deepEqual(metricNames('(a_seconds < 14 * 86400 > 0) and on (host) b_total >= 42 * 86400 unless absent(c)'), ['a_seconds', 'b_total', 'c']);
    assert.deepEqual(metricNames('chainboard_made_up_total'), ['chainboard_made_up_total']);
    assert.ok(!exported.has('chainboard_made_up_total'));
  });

  test('every alert rule queries only exported metrics, and carries a severity and its summary', () => {
    const file = parseYaml(readFileSync(RULES, 'utf8')) as { groups: { name: string; rules: (Rule & { annotations?: Record<string, string> })[] }[] };
    const rules = file.groups.flatMap((g) => g.rules);
    assert.ok(rules.length >= 6, 'the rules file holds the alerts');
    for (const r of rules) {
      const names = metricNames(r.expr);
      assert.ok(names.length > 0, `${r.alert}: no metric in ${r.expr}`);
      for (const n of names) assert.ok(exported.has(n), `${r.alert} queries ${n}, which /api/metrics does not export`);
      assert.match(r.labels?.severity ?? '', /^(critical|warning)$/, `${r.alert} severity`);
      assert.ok(r.annotations?.summary, `${r.alert} summary`);
    }
    assert.deepEqual(
      rules.map((r) => r.alert).sort(),
      ['ChainboardCertificateExpired', 'ChainboardCertificateExpiringSoon', 'ChainboardCertificateNotRenewed', 'ChainboardClusterUnreachable', 'ChainboardDataStale', 'ChainboardDomainDown', 'ChainboardMetricsAbsent'],
    );
  });

  test('the per-client alerts keep cluster, namespace and host for Alertmanager routing', () => {
    const file = parseYaml(readFileSync(RULES, 'utf8')) as { groups: { rules: Rule[] }[] };
    for (const r of file.groups.flatMap((g) => g.rules)) {
      if (!/Domain|Certificate/.test(r.alert ?? '')) continue;
      assert.match(r.expr, /by \(cluster, namespace, host\)/, `${r.alert} groups by cluster, namespace and host`);
    }
  });

  test('the Grafana dashboard is importable JSON whose every query uses only exported metrics', () => {
    const d = JSON.parse(readFileSync(DASHBOARD, 'utf8'));
    assert.equal(d.uid, 'chainboard');
    assert.equal(typeof d.title, 'string');
    assert.ok(Number.isInteger(d.schemaVersion));
    assert.ok(d.templating.list.some((v: { name: string; type: string }) => v.name === 'datasource' && v.type === 'datasource'), 'a data source variable, so any Prometheus can be chosen on import');
    const ids = new Set<number>();
    const walk = (panels: Panel[]) => {
      for (const p of panels) {
        assert.ok(!ids.has(p.id), `panel id ${p.id} is unique`);
        ids.add(p.id);
        if (p.type !== 'row') assert.equal(p.datasource?.uid, '${datasource}', `panel "${p.title}" uses the data source variable`);
        walk(p.panels ?? []);
      }
    };
    walk(d.panels);
    const queries = dashboardQueries(d);
    assert.ok(queries.length >= 15);
    const used = new Set<string>();
    for (const q of queries) {
      const names = metricNames(q.expr);
      assert.ok(names.length > 0, `${q.where}: no metric in ${q.expr}`);
      for (const n of names) {
        assert.ok(exported.has(n), `${q.where} queries ${n}, which /api/metrics does not export`);
        used.add(n);
      }
    }
    // What the dashboard is for: health per environment, domains down, certificate expiry, Chainboard's own sync and latency.
    for (const n of ['chainboard_domain_health', 'chainboard_certificate_expiry_seconds', 'chainboard_cache_synced', 'chainboard_cache_age_seconds', 'chainboard_cache_stale', 'chainboard_http_request_duration_seconds_bucket']) {
      assert.ok(used.has(n), `the dashboard shows ${n}`);
    }
  });

  test('every panel and the environment variable filter by the $cluster variable, each metric they select', () => {
    assert.deepEqual(unfilteredByCluster('sum(a{cluster=~"$cluster", namespace=~"$namespace"}) / sum(b{namespace=~"$namespace"}) + c'), ['b', 'c'], 'the check can fail');
    assert.deepEqual(unfilteredByCluster('a{namespace="x",cluster=~"$cluster"} and on (host) a{cluster="prod"}'), ['a']);
    const d = JSON.parse(readFileSync(DASHBOARD, 'utf8'));
    const cluster = d.templating.list.find((v: { name: string }) => v.name === 'cluster');
    assert.equal(cluster?.type, 'query', 'a cluster variable');
    assert.match(cluster.query.query, /^label_values\(chainboard_ready, cluster\)$/, "its values: the clusters Chainboard reports on");
    assert.equal(cluster.includeAll, true);
    assert.equal(cluster.allValue, '.*', 'All matches every cluster (and series without one)');
    const queries = dashboardQueries(d).filter((q) => q.where !== 'variable cluster');
    assert.ok(queries.length >= 15);
    for (const q of queries) assert.deepEqual(unfilteredByCluster(q.expr), [], `${q.where} filters every metric by $cluster: ${q.expr}`);
  });
});
