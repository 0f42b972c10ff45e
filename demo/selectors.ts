/**
 * Label and field selectors as the API server parses them. A parse error is a `SelectorError`, which the
 * server answers with a 400 BadRequest Status, as the real API server does.
 *
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/field-selectors/
 */
import type { KubeObject, ResourceType } from './resources';

export class SelectorError extends Error {
  override name = 'SelectorError';
}

export type LabelRequirement =
  | { op: 'exists' | '!'; key: string }
  | { op: '=' | '!='; key: string; value: string }
  | { op: 'in' | 'notin'; key: string; values: string[] }
  | { op: 'gt' | 'lt'; key: string; value: number };

/** A parsed label selector: every requirement must hold (AND). An empty selector matches everything. */
export type LabelSelector = LabelRequirement[];

// A qualified name with an optional DNS-subdomain prefix, as label keys are.
const KEY_RE = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE_RE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

function checkKey(key: string, whole: string): string {
  if (!KEY_RE.test(key) || key.length > 316) throw new SelectorError(`unable to parse requirement: invalid label key "${key}" in "${whole}"`);
  return key;
}
function checkValue(value: string, whole: string): string {
  if (!VALUE_RE.test(value) || value.length > 63) throw new SelectorError(`unable to parse requirement: invalid label value "${value}" in "${whole}"`);
  return value;
}

/** Split on commas that are not inside `( )`. */
function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** Parse `a=b,c!=d,e in (f,g),!h,i` into requirements. Throws SelectorError. */
export function parseLabelSelector(input: string | undefined | null): LabelSelector {
  if (!input || input.trim() === '') return [];
  const reqs: LabelSelector = [];
  for (const raw of splitTopLevel(input)) {
    const part = raw.trim();
    if (part === '') throw new SelectorError(`unable to parse requirement: found '', expected: identifier in "${input}"`);
    let m: RegExpMatchArray | null;
    if ((m = part.match(/^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/))) {
      const values = m[3]!.split(',').map((v) => checkValue(v.trim(), input));
      reqs.push({ op: m[2] as 'in' | 'notin', key: checkKey(m[1]!, input), values });
    } else if ((m = part.match(/^!\s*(\S+)$/))) {
      reqs.push({ op: '!', key: checkKey(m[1]!, input) });
    } else if ((m = part.match(/^([^=!<>\s]+)\s*(==|=|!=)\s*(\S*)$/))) {
      reqs.push({ op: m[2] === '!=' ? '!=' : '=', key: checkKey(m[1]!, input), value: checkValue(m[3]!, input) });
    } else if ((m = part.match(/^([^=!<>\s]+)\s*([<>])\s*(-?\d+)$/))) {
      reqs.push({ op: m[2] === '>' ? 'gt' : 'lt', key: checkKey(m[1]!, input), value: Number(m[3]) });
    } else if ((m = part.match(/^([^=!<>\s()]+)$/))) {
      reqs.push({ op: 'exists', key: checkKey(m[1]!, input) });
    } else {
      throw new SelectorError(`unable to parse requirement: "${part}" in "${input}"`);
    }
  }
  return reqs;
}

/** Does a label set satisfy every requirement? `!=` and `notin` also match when the key is absent. */
export function matchesLabels(sel: LabelSelector, labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  return sel.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    const v = l[r.key];
    switch (r.op) {
      case 'exists': return has;
      case '!': return !has;
      case '=': return has && v === r.value;
      case '!=': return !has || v !== r.value;
      case 'in': return has && r.values.includes(v!);
      case 'notin': return !has || !r.values.includes(v!);
      case 'gt': return has && /^-?\d+$/.test(v!) && Number(v) > r.value;
      case 'lt': return has && /^-?\d+$/.test(v!) && Number(v) < r.value;
    }
  });
}

export interface FieldRequirement {
  field: string;
  op: '=' | '!=';
  value: string;
}
export type FieldSelector = FieldRequirement[];

/** Split on unescaped `sep`; field selector values escape `\`, `,` and `=` with a backslash. */
function splitEscaped(s: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === '\\' && i + 1 < s.length) {
      cur += ch + s[i + 1];
      i++;
    } else if (ch === sep) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}
const unescape = (s: string) => s.replace(/\\(.)/g, '$1');

/**
 * Parse a field selector and check each field is supported for the resource, as the API server does:
 * an unknown field is a 400 (`"spec.foo" is not a known field selector`).
 */
export function parseFieldSelector(input: string | undefined | null, resource: ResourceType): FieldSelector {
  if (!input || input.trim() === '') return [];
  return splitEscaped(input, ',').map((part) => {
    const m = part.match(/^([^=!]+?)\s*(==|=|!=)\s*(.*)$/s);
    if (!m) throw new SelectorError(`invalid selector: '${input}'; can't understand '${part}'`);
    const field = m[1]!.trim();
    if (field !== 'metadata.name' && field !== 'metadata.namespace' && !(field in resource.fields)) {
      throw new SelectorError(`"${field}" is not a known field selector: only "metadata.name", "metadata.namespace"`);
    }
    return { field, op: m[2] === '!=' ? '!=' : '=', value: unescape(m[3]!) };
  });
}

/** The value of a selectable field of an object (`''` when unset, as the API server compares it). */
export function fieldValue(o: KubeObject, field: string, resource: ResourceType): string {
  if (field === 'metadata.name') return o.metadata.name;
  if (field === 'metadata.namespace') return o.metadata.namespace ?? '';
  return resource.fields[field]?.(o) ?? '';
}

export function matchesFields(sel: FieldSelector, o: KubeObject, resource: ResourceType): boolean {
  return sel.every((r) => (fieldValue(o, r.field, resource) === r.value) === (r.op === '='));
}
