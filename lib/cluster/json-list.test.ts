import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { readJsonList } from './json-list';

const dir = mkdtempSync(join(tmpdir(), 'chainboard-json-list-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

/** Read `text` as a List file: whether it was read item by item, its head and its items. */
function read(text: string): { done: boolean; head?: Record<string, unknown>; items: unknown[] } {
  const file = join(dir, `${files++}.json`);
  writeFileSync(file, text);
  let head: Record<string, unknown> | undefined;
  const items: unknown[] = [];
  const done = readJsonList(file, {
    head: (h) => ((head = h), true),
    item: (value, index) => (items[index] = value),
  });
  return { done, head, items };
}

const item = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, annotations: { note: '}\n{ "items": [' } }, data: { a: '1' } });
const items = [item('a'), item('b'), item('c')];
const kubectl = (xs: unknown[]) => `${JSON.stringify({ apiVersion: 'v1', items: xs, kind: 'List', metadata: { resourceVersion: '' } }, null, 4)}\n`;

describe('a JSON List file read item by item', () => {
  it('hands over the List members first, then each item as JSON.parse reads it', () => {
    const r = read(kubectl(items));
    assert.equal(r.done, true);
    assert.deepEqual(r.head, { apiVersion: 'v1', items: [], kind: 'List', metadata: { resourceVersion: '' } });
    assert.deepEqual(r.items, items);
  });

  it('reads CRLF line ends, a byte order mark, other indentation and the members in any order around the items', () => {
    const texts = [
      `\uFEFF${JSON.stringify({ kind: 'ConfigMapList', apiVersion: 'v1', items, metadata: {} }, null, 2).replace(/\n/g, '\r\n')}`,
      JSON.stringify({ items, kind: 'List' }, null, 4),
    ];
    for (const text of texts) {
      const r = read(text);
      assert.equal(r.done, true);
      assert.deepEqual(r.items, items);
    }
  });

  it('hands over nothing when the caller refuses the head', () => {
    const file = join(dir, `${files++}.json`);
    writeFileSync(file, kubectl(items));
    let seen = 0;
    assert.equal(readJsonList(file, { head: () => false, item: () => seen++ }), false);
    assert.equal(seen, 0);
  });

  it('declines whatever is not a List printed one item per indented block', () => {
    const layouts = {
      yaml: 'apiVersion: v1\nkind: List\nitems: []\n',
      compact: JSON.stringify({ apiVersion: 'v1', kind: 'List', items }),
      'an empty List': kubectl([]),
      'an object member before items': JSON.stringify({ metadata: {}, kind: 'List', items }, null, 4),
      'a second items member': kubectl(items).replace('"kind": "List"', '"items": [], "kind": "List"'),
      'a truncated file': kubectl(items).slice(0, -30),
      'tabs for indentation': kubectl(items).replace(/ {4}/g, '\t'),
    };
    for (const [layout, text] of Object.entries(layouts)) assert.equal(read(text).done, false, layout);
  });

  it('stops at an item that does not parse alone, having handed over the ones before it', () => {
    // An object closing at the items' indentation inside the second item: the cut there does not parse.
    const text = kubectl(items).replace('"name": "b"', '"name": "b", "x": {\n        }, "y": 1');
    assert.doesNotThrow(() => JSON.parse(text));
    const r = read(text);
    assert.equal(r.done, false);
    assert.deepEqual(r.items, [items[0]]);
  });
});
