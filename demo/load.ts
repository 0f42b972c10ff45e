/**
 * Full API objects from the same dump files the engine reads (`kubectl get ... -o yaml/json`: single
 * objects, multi-document YAML, `kind: List` and typed lists). lib/cluster/dump.ts slims what it reads;
 * the demo server must serve whole objects, so it reads the files again here, keeping every field.
 *
 * @see https://kubernetes.io/docs/reference/kubectl/generated/kubectl_get/
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { dumpFiles, type DumpError } from '../lib/cluster/dump';
import { groupVersion, resourceOf, RESOURCES, type KubeObject } from './resources';

export interface RawLoadResult {
  objects: KubeObject[];
  errors: DumpError[];
  /** Objects of kinds the demo does not serve (CRDs, ConfigMaps, ...), by kind. */
  ignored: Record<string, number>;
}

/** Parse dump text into full objects (appending to `into`). `file` only names the source in errors. */
export function parseRawObjects(text: string, file: string, into: RawLoadResult = { objects: [], errors: [], ignored: {} }): RawLoadResult {
  const docs = parseAllDocuments(text);
  const list = Array.isArray(docs) ? docs : [];
  list.forEach((doc, i) => {
    const document = i + 1;
    if (doc.errors.length > 0) {
      into.errors.push({ file, document, message: `not valid YAML/JSON: ${doc.errors[0]!.message.split('\n')[0]}` });
      return;
    }
    const value: unknown = doc.toJS({ maxAliasCount: 100 });
    if (value === null || value === undefined) return;
    addValue(value, file, document, undefined, into);
  });
  return into;
}

function addValue(value: unknown, file: string, document: number, item: number | undefined, into: RawLoadResult): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    into.errors.push({ file, document, item, message: 'document is not a Kubernetes object' });
    return;
  }
  const o = value as Record<string, unknown>;
  const kind = typeof o.kind === 'string' ? o.kind : undefined;
  if (kind === 'List' || (kind?.endsWith('List') && Array.isArray(o.items))) {
    if (!Array.isArray(o.items)) {
      into.errors.push({ file, document, message: 'List has no items array' });
      return;
    }
    // Items of a typed list (`PodList`) usually omit kind and apiVersion: take them from the list.
    const itemKind = kind !== 'List' ? kind.slice(0, -'List'.length) : undefined;
    o.items.forEach((it, j) => {
      if (itemKind && typeof it === 'object' && it !== null) {
        const rec = it as Record<string, unknown>;
        rec.kind ??= itemKind;
        if (rec.apiVersion === undefined && typeof o.apiVersion === 'string') rec.apiVersion = o.apiVersion;
      }
      addValue(it, file, document, j + 1, into);
    });
    return;
  }
  if (!kind) {
    into.errors.push({ file, document, item, message: 'object has no kind' });
    return;
  }
  // A missing apiVersion (hand-written fixtures) means the version the demo serves for that kind.
  if (o.apiVersion === undefined) {
    const r = RESOURCES.find((x) => x.kind === kind);
    if (r) o.apiVersion = groupVersion(r);
  }
  if (!resourceOf(o)) {
    into.ignored[kind] = (into.ignored[kind] ?? 0) + 1;
    return;
  }
  const md = o.metadata as Record<string, unknown> | undefined;
  if (typeof md?.name !== 'string' || md.name === '') {
    into.errors.push({ file, document, item, message: `${kind} has no metadata.name` });
    return;
  }
  into.objects.push(o as KubeObject);
}

/** Load every dump file under each path as full objects. Throws only for a missing top-level path. */
export function loadRawObjects(paths: string | string[]): RawLoadResult {
  const result: RawLoadResult = { objects: [], errors: [], ignored: {} };
  for (const p of Array.isArray(paths) ? paths : [paths]) {
    for (const file of dumpFiles(p)) {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (e) {
        result.errors.push({ file, document: 0, message: `cannot read: ${(e as Error).message}` });
        continue;
      }
      parseRawObjects(text, file, result);
    }
  }
  return result;
}

/** The data the demo serves when none is given: the shipped sample environments, else the small test dump. */
export function defaultDataPath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const samples = resolve(here, '..', 'samples', 'cluster');
  return existsSync(samples) ? samples : join(here, '__fixtures__', 'cluster.yaml');
}
