/**
 * Snapshots from dump files: a file or a folder of YAML or JSON holding single objects, multi-document
 * YAML, or `kind: List` exactly as `kubectl get ingressclasses,ingress,svc,endpointslices,pods,events -A -o yaml`
 * writes it. A bad document is reported with its file and document number; every other document is
 * still used.
 *
 * @see https://kubernetes.io/docs/reference/kubectl/generated/kubectl_get/
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { ResourceKind, SlimObject } from '../model/k8s';
import { slimObject } from '../model/slim';
import { emptySnapshot, type Snapshot } from '../model/snapshot';
import { slimTlsSecret } from './certificate';
import { readJsonList } from './json-list';

export interface DumpError {
  file: string;
  /** 1-based document number in the file; for items of a List, the item index too. */
  document: number;
  item?: number;
  message: string;
}

export interface DumpResult {
  snapshot: Snapshot;
  errors: DumpError[];
  /** How many objects were read, by kind (objects of other kinds are counted as `ignored`). */
  counts: Record<string, number>;
}

const DUMP_EXT = /\.(ya?ml|json)$/i;

/** List the dump files under a path (a file, or a folder read recursively in name order). */
export function dumpFiles(path: string): string[] {
  const st = statSync(path);
  if (st.isFile()) return [path];
  const out: string[] = [];
  for (const name of readdirSync(path).sort()) {
    if (name.startsWith('.')) continue;
    const full = join(path, name);
    if (statSync(full).isDirectory()) out.push(...dumpFiles(full));
    else if (DUMP_EXT.test(name)) out.push(full);
  }
  return out;
}

/**
 * The Gateway API lists of a snapshot. A dump holding one Gateway API object is taken to hold all four
 * kinds (the README's dump command reads them together, and kubectl writes nothing for a kind with no
 * objects): so no ReferenceGrant in it means none was there, not "not read".
 */
function gatewayApi(s: Snapshot) {
  return {
    gatewayClasses: (s.gatewayClasses ??= []),
    gateways: (s.gateways ??= []),
    httpRoutes: (s.httpRoutes ??= []),
    referenceGrants: (s.referenceGrants ??= []),
  };
}

/** Add one slim object to a snapshot, by kind. */
export function addToSnapshot(s: Snapshot, o: SlimObject): void {
  const { kind, ...rest } = o;
  switch (kind) {
    case 'Namespace': s.namespaces.push(rest as Snapshot['namespaces'][number]); break;
    case 'IngressClass': s.ingressClasses.push(rest as Snapshot['ingressClasses'][number]); break;
    case 'Ingress': s.ingresses.push(rest as Snapshot['ingresses'][number]); break;
    case 'Service': s.services.push(rest as Snapshot['services'][number]); break;
    case 'EndpointSlice': s.endpointSlices.push(rest as Snapshot['endpointSlices'][number]); break;
    case 'Pod': s.pods.push(rest as Snapshot['pods'][number]); break;
    case 'Event': s.events.push(rest as Snapshot['events'][number]); break;
    case 'Secret': (s.tlsSecrets ??= []).push(rest as NonNullable<Snapshot['tlsSecrets']>[number]); break;
    case 'Certificate': (s.certificates ??= []).push(rest as NonNullable<Snapshot['certificates']>[number]); break;
    case 'Middleware': (s.middlewares ??= []).push(rest as NonNullable<Snapshot['middlewares']>[number]); break;
    case 'IngressRoute': (s.ingressRoutes ??= []).push(rest as NonNullable<Snapshot['ingressRoutes']>[number]); break;
    case 'CertificateRequest': (s.certificateRequests ??= []).push(rest as NonNullable<Snapshot['certificateRequests']>[number]); break;
    case 'Order': (s.orders ??= []).push(rest as NonNullable<Snapshot['orders']>[number]); break;
    case 'Challenge': (s.challenges ??= []).push(rest as NonNullable<Snapshot['challenges']>[number]); break;
    case 'Issuer': (s.issuers ??= []).push(rest as NonNullable<Snapshot['issuers']>[number]); break;
    case 'ClusterIssuer': (s.clusterIssuers ??= []).push(rest as NonNullable<Snapshot['clusterIssuers']>[number]); break;
    case 'GatewayClass': gatewayApi(s).gatewayClasses.push(rest as NonNullable<Snapshot['gatewayClasses']>[number]); break;
    case 'Gateway': gatewayApi(s).gateways.push(rest as NonNullable<Snapshot['gateways']>[number]); break;
    case 'HTTPRoute': gatewayApi(s).httpRoutes.push(rest as NonNullable<Snapshot['httpRoutes']>[number]); break;
    case 'ReferenceGrant': gatewayApi(s).referenceGrants.push(rest as NonNullable<Snapshot['referenceGrants']>[number]); break;
  }
}

const READ_KINDS = new Set<string>([
  'Namespace', 'IngressClass', 'Ingress', 'Service', 'EndpointSlice', 'Pod', 'Event', 'Secret', 'Certificate', 'Middleware', 'IngressRoute',
  'CertificateRequest', 'Order', 'Challenge', 'Issuer', 'ClusterIssuer',
  'GatewayClass', 'Gateway', 'HTTPRoute', 'ReferenceGrant',
]);

/** Receives each object of a dump (Lists flattened) and each problem, in file order. */
export interface DumpVisitor {
  object(o: Record<string, unknown>, kind: string, where: { file: string; document: number; item?: number }): void;
  error(e: DumpError): void;
  /**
   * Remember what has been visited so far; the returned function forgets everything visited since.
   * A visitor that offers it gets a pretty-printed JSON List file (`kubectl get -o json`) item by item
   * (see lib/cluster/json-list.ts). When an item turns out not to parse, what the file gave is
   * forgotten and the file is read again in one piece, so a bad document stays all-or-nothing.
   */
  checkpoint?(): () => void;
}

/**
 * Walk dump text: every YAML/JSON document, `kind: List` and typed lists (`PodList`) flattened, items of a
 * typed list given the list's kind and apiVersion when they omit them. Objects without a kind and
 * documents that are not objects are reported, never thrown. The one parser behind the engine's slim
 * snapshots and the demo server's full objects.
 */
export function visitDumpText(text: string, file: string, visit: DumpVisitor): void {
  // JSON (`kubectl get -o json`) is YAML too, but the YAML parser takes ~60x longer on it and builds a
  // syntax tree many times the text's size: a 50,000-Pod dump would take minutes and gigabytes. Read JSON
  // as JSON; whatever JSON.parse refuses (YAML, several documents, broken JSON) goes the YAML way below,
  // which also locates the errors.
  if (looksLikeJson(text)) {
    let value: unknown;
    let parsed = false;
    try {
      value = JSON.parse(text);
      parsed = true;
    } catch {
      /* not one JSON document: read it as YAML */
    }
    if (parsed) {
      if (value !== null) visitValue(value, file, 1, undefined, visit);
      return;
    }
  }
  const docs = parseAllDocuments(text, { prettyErrors: true });
  // parseAllDocuments returns an EmptyStream for empty input; a JSON file is one YAML document.
  const list = Array.isArray(docs) ? docs : [];
  list.forEach((doc, i) => {
    const document = i + 1;
    if (doc.errors.length > 0) {
      visit.error({ file, document, message: `not valid YAML/JSON: ${doc.errors[0]!.message.split('\n')[0]}` });
      return;
    }
    const value: unknown = doc.toJS({ maxAliasCount: 100 });
    if (value === null || value === undefined) return; // an empty document (`---` at the end)
    visitValue(value, file, document, undefined, visit);
  });
}

/** Does the text start, after whitespace (and a byte order mark), like a JSON object or array? */
function looksLikeJson(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0xfeff) continue;
    return c === 0x7b || c === 0x5b; // { or [
  }
  return false;
}

/** What the items of a List inherit from it. */
interface ListInfo {
  /** The kind of a typed list's items (`Ingress` for an `IngressList`); undefined for `kind: List`. */
  itemKind: string | undefined;
  apiVersion: string | undefined;
}

function listOf(o: Record<string, unknown>): ListInfo {
  const kind = o.kind as string;
  return { itemKind: kind !== 'List' ? kind.slice(0, -'List'.length) : undefined, apiVersion: typeof o.apiVersion === 'string' ? o.apiVersion : undefined };
}

/** Items of a typed list (`IngressList`) may omit kind and apiVersion: they take them from the list. */
function visitItem(list: ListInfo, it: unknown, file: string, document: number, item: number, visit: DumpVisitor): void {
  if (list.itemKind && typeof it === 'object' && it !== null) {
    const rec = it as Record<string, unknown>;
    rec.kind ??= list.itemKind;
    if (rec.apiVersion === undefined && list.apiVersion !== undefined) rec.apiVersion = list.apiVersion;
  }
  visitValue(it, file, document, item, visit);
}

function visitValue(value: unknown, file: string, document: number, item: number | undefined, visit: DumpVisitor): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    visit.error({ file, document, item, message: 'document is not a Kubernetes object' });
    return;
  }
  const o = value as Record<string, unknown>;
  const kind = typeof o.kind === 'string' ? o.kind : undefined;
  if (kind === 'List' || (kind?.endsWith('List') && Array.isArray(o.items))) {
    if (!Array.isArray(o.items)) {
      visit.error({ file, document, message: 'List has no items array' });
      return;
    }
    const list = listOf(o);
    o.items.forEach((it, j) => visitItem(list, it, file, document, j + 1, visit));
    return;
  }
  if (!kind) {
    visit.error({ file, document, item, message: 'object has no kind' });
    return;
  }
  visit.object(o, kind, { file, document, item });
}

/** Walk every dump file under each path; an unreadable file is an error with document 0. */
export function visitDumpFiles(paths: string | string[], visit: DumpVisitor): void {
  for (const p of Array.isArray(paths) ? paths : [paths]) {
    for (const file of dumpFiles(p)) visitDumpFile(file, visit);
  }
}

/**
 * One file: a JSON List item by item when the visitor can undo a partial visit, else the whole text.
 */
function visitDumpFile(file: string, visit: DumpVisitor): void {
  let text: string;
  try {
    if (visit.checkpoint && visitListItems(file, visit, visit.checkpoint)) return;
    text = readFileSync(file, 'utf8');
  } catch (e) {
    visit.error({ file, document: 0, message: `cannot read: ${(e as Error).message}` });
    return;
  }
  visitDumpText(text, file, visit);
}

/**
 * A pretty-printed JSON List file item by item (lib/cluster/json-list.ts); false, with whatever was
 * visited undone, when the file is to be read whole instead.
 */
function visitListItems(file: string, visit: DumpVisitor, checkpoint: () => () => void): boolean {
  let list: ListInfo = { itemKind: undefined, apiVersion: undefined };
  let rollback: (() => void) | undefined;
  let done = false;
  try {
    done = readJsonList(file, {
      head(o) {
        if (typeof o.kind !== 'string' || !o.kind.endsWith('List')) return false;
        list = listOf(o);
        rollback = checkpoint();
        return true;
      },
      item: (value, index) => visitItem(list, value, file, 1, index + 1, visit),
    });
    return done;
  } finally {
    if (!done) rollback?.();
  }
}

const SNAPSHOT_LISTS = ['namespaces', 'ingressClasses', 'ingresses', 'services', 'endpointSlices', 'pods', 'events', 'tlsSecrets', 'certificates'] as const;

/** Remember a result's sizes; the returned function cuts it back to them. */
function checkpointOf(into: DumpResult): () => void {
  const s = into.snapshot;
  const lengths = SNAPSHOT_LISTS.map((k) => s[k]?.length);
  const errors = into.errors.length;
  const counts = { ...into.counts };
  return () => {
    SNAPSHOT_LISTS.forEach((k, n) => {
      const length = lengths[n];
      if (length !== undefined) s[k]!.length = length;
      else delete s[k]; // lists made on first use (Secrets, Certificates) go again
    });
    into.errors.length = errors;
    for (const k of Object.keys(into.counts)) if (!(k in counts)) delete into.counts[k];
    Object.assign(into.counts, counts);
  };
}

/** The visitor that slims what the engine reads into a snapshot. */
function slimmingVisitor(into: DumpResult): DumpVisitor {
  return {
    error: (e) => into.errors.push(e),
    checkpoint: () => checkpointOf(into),
    object(o, kind, { file, document, item }) {
      if (!READ_KINDS.has(kind)) {
        into.counts.ignored = (into.counts.ignored ?? 0) + 1;
        return;
      }
      if (kind === 'Secret') {
        const name = (o.metadata as Record<string, unknown> | undefined)?.name;
        if (typeof name !== 'string' || !name) {
          into.errors.push({ file, document, item, message: 'Secret has no metadata.name' });
          return;
        }
        const secret = slimTlsSecret(o);
        if (secret) add(into, { kind: 'Secret', ...secret });
        else into.counts.ignored = (into.counts.ignored ?? 0) + 1;
        return;
      }
      const r = slimObject(o, kind as ResourceKind);
      if (!r.ok) {
        into.errors.push({ file, document, item, message: r.error });
        return;
      }
      add(into, r.object);
    },
  };
}

/**
 * Parse dump text into a snapshot (appending to `into` when given). `file` only names the source in
 * errors.
 */
export function parseDump(text: string, file: string, into: DumpResult = newResult()): DumpResult {
  visitDumpText(text, file, slimmingVisitor(into));
  completeAcmeChain(into.snapshot);
  return into;
}

/**
 * A dump lists only the kinds it has objects of: one that holds CertificateRequests was taken with the
 * ACME chain's kinds, so its missing Orders and Challenges are none, not unread.
 */
function completeAcmeChain(s: Snapshot): void {
  if (!s.certificateRequests) return;
  s.orders ??= [];
  s.challenges ??= [];
}

function add(into: DumpResult, o: SlimObject) {
  addToSnapshot(into.snapshot, o);
  into.counts[o.kind] = (into.counts[o.kind] ?? 0) + 1;
}

function newResult(): DumpResult {
  return { snapshot: emptySnapshot(), errors: [], counts: {} };
}

/**
 * Load every dump file under each path. Unreadable files are errors too; nothing throws but a missing
 * top-level path.
 */
export function loadDump(paths: string | string[]): DumpResult {
  const result = newResult();
  visitDumpFiles(paths, slimmingVisitor(result));
  completeAcmeChain(result.snapshot);
  return result;
}
