/** Plain API objects: their REST paths, and kustomizations rendered as `kubectl apply -k` would. */
import { execFileSync } from 'node:child_process';
import { parseAllDocuments } from 'yaml';
import { builtBinary } from './bin';

/** Any API object, as applied server-side. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [k: string]: unknown };
  [k: string]: unknown;
}

/** Kinds whose resource name is not the regular plural of the kind. */
const PLURALS: Record<string, string> = { Endpoints: 'endpoints' };

/** The resource name of a kind as Kubernetes makes it by default: `ingresses`, `gatewayclasses`, `networkpolicies`, `pods`. */
export function pluralOf(kind: string): string {
  const k = kind.toLowerCase();
  if (PLURALS[kind]) return PLURALS[kind];
  if (/(s|x|z|ch|sh)$/.test(k)) return `${k}es`;
  if (/[^aeiou]y$/.test(k)) return `${k.slice(0, -1)}ies`;
  return `${k}s`;
}

/** The REST path of an object, for the core group and named groups alike (namespaced or not). */
export function resourcePath(obj: KubeObject): string {
  const plural = pluralOf(obj.kind);
  const base = obj.apiVersion.includes('/') ? `/apis/${obj.apiVersion}` : `/api/${obj.apiVersion}`;
  const ns = obj.metadata.namespace ? `/namespaces/${encodeURIComponent(obj.metadata.namespace)}` : '';
  return `${base}${ns}/${plural}/${encodeURIComponent(obj.metadata.name)}`;
}

/**
 * Renders a kustomization (e.g. `deploy/base`) exactly as `kubectl apply -k` would, with the kustomize
 * that build.sh built.
 */
export function kustomizeBuild(dir: string): KubeObject[] {
  const kustomize = builtBinary('kustomize');
  if (!kustomize) throw new Error('kustomize is not built: run `bash e2e/cluster/build.sh`');
  return parseObjects(execFileSync(kustomize, ['build', dir], { encoding: 'utf8' }), `kustomize build ${dir}`);
}

/** The objects of a multi-document YAML text; `what` names the text in a parse error. */
export function parseObjects(text: string, what: string): KubeObject[] {
  return parseAllDocuments(text).flatMap((d) => {
    if (d.errors.length > 0) throw new Error(`${what}: ${d.errors[0]?.message}`);
    const v = d.toJS() as KubeObject | null;
    return v === null ? [] : [v];
  });
}
