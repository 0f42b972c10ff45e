/**
 * Full API objects from the same dump files the engine reads (`kubectl get ... -o yaml/json`: single
 * objects, multi-document YAML, `kind: List` and typed lists). lib/cluster/dump.ts slims what it reads;
 * the demo server must serve whole objects, so it reads the files again here, keeping every field.
 *
 * @see https://kubernetes.io/docs/reference/kubectl/generated/kubectl_get/
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { visitDumpFiles, visitDumpText, type DumpError, type DumpVisitor } from '../lib/cluster/dump';
import { groupVersion, resourceOf, RESOURCES, type KubeObject } from './resources';

export interface RawLoadResult {
  objects: KubeObject[];
  errors: DumpError[];
  /** Objects of kinds the demo does not serve (CRDs, ConfigMaps, ...), by kind. */
  ignored: Record<string, number>;
}

/** Keeps full objects of the kinds the demo serves. */
function rawVisitor(into: RawLoadResult): DumpVisitor {
  return {
    error: (e) => into.errors.push(e),
    object(o, kind, { file, document, item }) {
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
    },
  };
}

/** Parse dump text into full objects (appending to `into`). `file` only names the source in errors. */
export function parseRawObjects(text: string, file: string, into: RawLoadResult = { objects: [], errors: [], ignored: {} }): RawLoadResult {
  visitDumpText(text, file, rawVisitor(into));
  return into;
}

/** Load every dump file under each path as full objects. Throws only for a missing top-level path. */
export function loadRawObjects(paths: string | string[]): RawLoadResult {
  const result: RawLoadResult = { objects: [], errors: [], ignored: {} };
  visitDumpFiles(paths, rawVisitor(result));
  return result;
}

/** The data the demo serves when none is given: the shipped sample environments, else the small test dump. */
export function defaultDataPath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const samples = resolve(here, '..', 'samples', 'cluster');
  return existsSync(samples) ? samples : join(here, '__fixtures__', 'cluster.yaml');
}
