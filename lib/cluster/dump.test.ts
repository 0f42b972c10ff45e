import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { loadDump, parseDump, type DumpResult } from './dump';

const list = {
  apiVersion: 'v1',
  kind: 'List',
  items: [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'hst-a' } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'hst-a' }, spec: { ports: [{ port: 80 }], selector: { app: 'web' } } },
  ],
  metadata: { resourceVersion: '' },
};

describe('dump parsing', () => {
  it('reads a JSON dump (kubectl -o json) to the same snapshot as the same dump in YAML', () => {
    const json = parseDump(`\uFEFF\n${JSON.stringify(list, null, 4)}\n`, 'dump.json');
    const yaml = parseDump(stringify(list), 'dump.yaml');
    assert.deepEqual(json, yaml);
    assert.deepEqual(json.counts, { Namespace: 1, Service: 1 });
    assert.deepEqual(json.errors, []);
  });

  it('still reads several JSON documents in one file, the YAML way', () => {
    const text = `${JSON.stringify(list.items[0])}\n---\n${JSON.stringify(list.items[1])}\n`;
    assert.deepEqual(parseDump(text, 'two.json').counts, { Namespace: 1, Service: 1 });
  });

  it('reports broken JSON as a bad document, with the YAML parser locating it', () => {
    const r = parseDump('{"apiVersion": "v1", "kind": "List", "items": [', 'broken.json');
    assert.equal(r.errors.length, 1);
    assert.equal(r.errors[0]!.file, 'broken.json');
    assert.match(r.errors[0]!.message, /^not valid YAML\/JSON/);
  });
});

const dir = mkdtempSync(join(tmpdir(), 'chainboard-dump-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

/** Write `text` to a new file and load it; also parse the same text whole, for comparison. */
function both(text: string, name = 'dump.json'): { loaded: DumpResult; parsed: DumpResult } {
  const sub = join(dir, String(files++));
  mkdirSync(sub);
  const file = join(sub, name);
  writeFileSync(file, text);
  return { loaded: loadDump(file), parsed: parseDump(text, file) };
}

const pod = (ns: string, name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: ns, labels: { app: 'web' }, managedFields: [{ manager: 'kubelet', fieldsV1: { 'f:status': {} } }] },
  spec: { containers: [{ name: 'app', image: 'web:1', ports: [{ containerPort: 8080 }] }], nodeName: 'worker-1' },
  status: { phase: 'Running', podIP: '10.0.0.1', conditions: [{ type: 'Ready', status: 'True' }], ...extra },
});

/** The layout `kubectl get -A -o json` prints: four-space indent, the List's members in key order. */
const kubectl = (items: unknown[], kind = 'List') => `${JSON.stringify({ apiVersion: 'v1', items, kind, metadata: { resourceVersion: '' } }, null, 4)}\n`;

describe('dump files', () => {
  it('reads a kubectl List file item by item to the same result as the whole text', () => {
    const items = [...list.items, pod('hst-a', 'web-1'), pod('hst-a', 'web-2', { message: 'a "quoted" }\\n brace' })];
    const { loaded, parsed } = both(kubectl(items));
    assert.deepEqual(loaded, parsed);
    assert.deepEqual(loaded.counts, { Namespace: 1, Service: 1, Pod: 2 });
  });

  it('gives the items of a typed list their kind and apiVersion, as the whole text does', () => {
    const items = [pod('hst-a', 'web-1'), pod('hst-a', 'web-2')].map(({ kind: _, apiVersion: __, ...rest }) => rest);
    const { loaded, parsed } = both(kubectl(items, 'PodList'));
    assert.deepEqual(loaded, parsed);
    assert.deepEqual(loaded.counts, { Pod: 2 });
  });

  it('reports items that are not objects or have no kind with their item numbers', () => {
    const { loaded, parsed } = both(kubectl([pod('hst-a', 'web-1'), { metadata: { name: 'x' } }, pod('hst-a', 'web-2')]));
    assert.deepEqual(loaded, parsed);
    assert.deepEqual(loaded.errors.map((e) => [e.document, e.item, e.message]), [[1, 2, 'object has no kind']]);
  });

  it('uses nothing of a List whose middle is broken, and reports it once', () => {
    const text = kubectl([pod('hst-a', 'web-1'), pod('hst-a', 'web-2'), pod('hst-a', 'web-3')]).replace('"web-2",', '"web-2"');
    const { loaded, parsed } = both(text);
    assert.deepEqual(loaded, parsed);
    assert.equal(loaded.snapshot.pods.length, 0);
    assert.equal(loaded.errors.length, 1);
  });

  it('keeps what earlier files gave when a later file turns out broken', () => {
    const sub = join(dir, String(files++));
    mkdirSync(sub);
    writeFileSync(join(sub, 'a.json'), kubectl([pod('hst-a', 'web-1')]));
    writeFileSync(join(sub, 'b.json'), kubectl([pod('hst-b', 'web-1'), pod('hst-b', 'web-2')]).replace('"hst-b",', '"hst-b"'));
    const r = loadDump(sub);
    assert.deepEqual(r.snapshot.pods.map((p) => p.metadata.namespace), ['hst-a']);
    assert.deepEqual(r.counts, { Pod: 1 });
    assert.deepEqual(r.errors.map((e) => e.file), [join(sub, 'b.json')]);
  });

  it('reads a truncated List as one bad document', () => {
    const text = kubectl([pod('hst-a', 'web-1'), pod('hst-a', 'web-2')]);
    const { loaded, parsed } = both(text.slice(0, text.length - 40));
    assert.deepEqual(loaded, parsed);
    assert.equal(loaded.errors.length, 1);
  });

  it('reads JSON laid out in other ways to the same result as the whole text', () => {
    const items = [pod('hst-a', 'web-1'), pod('hst-a', 'web-2')];
    const texts = {
      compact: JSON.stringify({ ...list, items }),
      'two-space indent with a byte order mark': `\uFEFF${JSON.stringify({ ...list, items }, null, 2)}`,
      'CRLF line ends': kubectl(items).replace(/\n/g, '\r\n'),
      'an empty List': kubectl([]),
      'a nested object closing at the items indentation': kubectl(items).replace('"name": "web-2"', '"name": "web-2", "x": {\n        }, "y": 1'),
      'a second items member after the array': kubectl(items).replace('"kind": "List"', '"items": [], "kind": "List"'),
      'items before scalar members': JSON.stringify({ items, kind: 'List', apiVersion: 'v1' }, null, 4),
      'a List member before items that is an object': JSON.stringify({ metadata: {}, kind: 'List', items }, null, 4),
      'a single object': JSON.stringify(pod('hst-a', 'web-1'), null, 4),
    };
    for (const [layout, text] of Object.entries(texts)) {
      const { loaded, parsed } = both(text);
      assert.deepEqual(loaded, parsed, layout);
      assert.deepEqual(loaded.errors, [], layout);
    }
  });

  it('reads a List larger than the reader window, and an item larger than it', () => {
    const many = Array.from({ length: 3000 }, (_, i) => pod(`hst-${i % 7}`, `web-${i}`, { message: 'x'.repeat(1000) }));
    const big = pod('hst-a', 'huge', { message: 'y'.repeat(5 * 1024 * 1024) });
    for (const items of [many, [pod('hst-a', 'web-1'), big, pod('hst-a', 'web-2')]]) {
      const { loaded, parsed } = both(kubectl(items));
      assert.deepEqual(loaded.counts, { Pod: items.length });
      assert.deepEqual(loaded, parsed);
    }
  });
});
