import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stringify } from 'yaml';
import { parseDump } from './dump';

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
