// The sample cluster is what its README says: every domain of the table comes out of analyze() with the
// documented namespace, health and finding codes, and nothing else comes out.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { analyze } from '../chain';
import { loadDump } from '../cluster/dump';
import type { Health } from '../model/chain';

const SAMPLE = join(__dirname, '..', '..', 'samples', 'cluster');
const README = readFileSync(join(SAMPLE, 'README.md'), 'utf8');

/** The reference time stated in the README (the dump's clock-dependent findings hold at that moment). */
const reference = /\*\*Reference time: `([^`]+)`/.exec(README)?.[1];
assert.ok(reference, 'README states a reference time');
const now = new Date(reference);

interface Row {
  host: string;
  namespace: string;
  health: Health;
  codes: string[];
}

const codesOf = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!).sort();
const cells = (line: string) => line.split(' | ').map((c) => c.replace(/^\| |^\|| \|$/g, '').trim());

/** Rows of a README table: the lines after `## heading` that start with a pipe, minus header and rule. */
function tableRows(heading: string): string[][] {
  const start = README.indexOf(`## ${heading}`);
  assert.ok(start >= 0, `README has a section "${heading}"`);
  const lines = README.slice(start).split('\n').slice(1);
  const first = lines.findIndex((l) => l.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(first + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(cells(line));
  }
  return rows;
}

const domainRows: Row[] = tableRows('Domains').map(([host, namespace, health, codes]) => ({
  host: host!.replace(/`/g, ''),
  namespace: namespace!,
  health: health as Health,
  codes: codesOf(codes!),
}));
const namespaceRows = tableRows('Findings outside any domain').map(([namespace, codes]) => ({ namespace: namespace!, codes: codesOf(codes!) }));

const dump = loadDump(SAMPLE);
const result = analyze(dump.snapshot, { now });
const byHost = new Map(result.domains.map((d) => [d.host, d]));

describe('the sample cluster', () => {
  test('loads without a single bad document', () => {
    assert.deepEqual(dump.errors, []);
  });

  test('has the seed example, at least 5 client namespaces and at least 14 domains', () => {
    assert.ok(domainRows.some((r) => r.host === 'app.my-client.junovy.com' && r.namespace === 'hst-my-client' && r.health === 'healthy'));
    assert.ok(new Set(domainRows.map((r) => r.namespace)).size >= 5);
    assert.ok(domainRows.length >= 14);
  });

  test('comes out of the analysis with exactly the domains of its README table', () => {
    assert.deepEqual(result.domains.map((d) => d.host).sort(), domainRows.map((r) => r.host).sort());
  });

  test('shows nothing of the namespaces outside the hst- prefix', () => {
    const namespaces = new Set(result.namespaces.map((n) => n.name));
    assert.deepEqual([...namespaces].filter((n) => !n.startsWith('hst-')), []);
    assert.equal(result.domains.some((d) => d.host === 'traefik.internal.junovy.com'), false);
  });

  test('covers every rule family with a broken domain', () => {
    const families = new Set(domainRows.filter((r) => r.health !== 'healthy').flatMap((r) => r.codes.map((c) => c.split('.')[0])));
    assert.deepEqual([...families].sort(), ['dns', 'ingress', 'pod', 'service', 'tls']);
  });

  for (const row of domainRows) {
    test(`says ${row.host} is ${row.health} with ${row.codes.join(', ') || 'no finding'}`, () => {
      const d = byHost.get(row.host);
      assert.ok(d, `${row.host} is analysed`);
      assert.deepEqual(
        { namespace: d.namespace, health: d.health, codes: [...new Set(d.findings.map((f) => f.code))].sort() },
        { namespace: row.namespace, health: row.health, codes: row.codes },
      );
    });
  }

  test('has the documented findings outside any domain, and no others', () => {
    const actual = result.namespaces
      .filter((n) => n.findings.length > 0)
      .map((n) => ({ namespace: n.name, codes: [...new Set(n.findings.map((f) => f.code))].sort() }));
    assert.deepEqual(actual, namespaceRows);
  });
});
