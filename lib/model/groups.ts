/**
 * Identical findings grouped, for lists a person reads: twelve crash-looping Pods of one Deployment
 * are one line "12 Pods: container app is in CrashLoopBackOff ..." with the Pods listed, not twelve
 * lines that differ only in a generated name. Grouping is a view over the flat list: every group names
 * its members by their position in that list, so whatever needs one finding (the diagram's focus, a
 * link's "broken" mark) keeps using the flat list.
 */
import type { ChainLink, Finding, Severity } from './chain';
import type { ObjectRef } from './k8s';
import { linkKey } from './ids';

/** Findings that are one fault seen on several objects, in the order of the list they came from. */
export interface FindingGroup {
  /** The grouping key (see {@link findingGroupKey}): the same findings always give the same key. */
  key: string;
  code: string;
  severity: Severity;
  /**
   * The message the members share: the varying object name replaced by the count ("2 Pods: ..."),
   * a varying restart count or time as a range, any other varying word as a list (`{a, b}`). For a
   * group of one it is that finding's message.
   */
  message: string;
  /** How many findings the group stands for (`members.length`). */
  count: number;
  /** The next command of the first member: the worst, as the list is ordered worst first. */
  hint: string;
  /** The link of the first member, for the diagram. */
  link: ChainLink;
  /** The object of each member, in the order of `members`. */
  objects: ObjectRef[];
  /** Positions of the members in the flat list the group was made from, first member first. */
  members: number[];
}

/**
 * Nodes a finding can link to that stand for the whole host: a rule about the host's certificate or
 * DNS runs once per Ingress that claims the host, so one fault of the host comes out once per Ingress.
 */
const HOST_NODE = /^(?:TLS|DNS|Domain)\//;

// Counters and times that keep changing while the fault stays the same: the restart count and the
// minutes a Pod has been stuck, and ISO timestamps (last restart, OOM kill). Two Pods of one owner
// crash-looping for the same reason differ in these and in nothing else. Every other number (an exit
// code, a port, how many endpoints) is part of what the finding says and keeps findings apart.
const VOLATILE = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})?|\b\d+(?= (?:restarts?|times|min)\b)/g;

/** Stands for the finding's own object name in a message. */
const OBJECT = '\u0001';

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The message with every mention of the finding's object name replaced by {@link OBJECT}. A mention is
 * the whole name, not part of a longer name or host: `shop` in `Secret shop-tls` or `shop.example.com`
 * is not the Ingress `shop`.
 */
function maskObject(f: Finding): string {
  const name = f.object.name;
  if (!name) return f.message;
  // The character before is matched, not looked behind: Safari before 16.4 has no lookbehind.
  const re = new RegExp(`(^|[^A-Za-z0-9._-])${escapeRegExp(name)}(?![A-Za-z0-9_-]|\\.[A-Za-z0-9])`, 'g');
  return f.message.replace(re, `$1${OBJECT}`);
}

/**
 * The key that decides which findings are one group. Two findings are grouped when they have the same
 * code, severity and object kind, and either
 * - the same message once their own object's name and the volatile counters and times ({@link VOLATILE})
 *   are taken out: the same fault on several objects (12 Pods of one owner in CrashLoopBackOff with
 *   the same exit code; they differ in name and restart count). A different reason, exit code, image
 *   or container keeps them apart; or
 * - the same link to a node that stands for the whole host (`TLS/<host>`, `DNS/<host>`,
 *   `Domain/<host>`): the host's certificate or DNS finding, reported once per Ingress or route that
 *   claims the host. Their messages may name each Ingress's own Secret; it is still one fault of the
 *   host's certificate, so the group lists the Secrets.
 */
export function findingGroupKey(f: Finding): string {
  const link = linkKey(f.link);
  // Readable, as the API serves it: `{name}` for the object's name, `{n}` for a count or time.
  const what = f.link.type === 'node' && HOST_NODE.test(f.link.id) ? `@${link}` : maskObject(f).replaceAll(OBJECT, '{name}').replace(VOLATILE, '{n}');
  return `${f.code} ${f.severity} ${f.object.kind} ${what}`;
}

/**
 * Groups a flat list of findings (already in the order to show, worst first). Groups come in the order
 * of their first member, so the list keeps its order; a finding that repeats nothing is a group of one.
 */
export function groupFindings(findings: readonly Finding[]): FindingGroup[] {
  const byKey = new Map<string, number[]>();
  findings.forEach((f, i) => {
    const key = findingGroupKey(f);
    const members = byKey.get(key);
    if (members) members.push(i);
    else byKey.set(key, [i]);
  });
  const groups: FindingGroup[] = [];
  for (const [key, members] of byKey) {
    const list = members.map((i) => findings[i]!);
    const first = list[0]!;
    groups.push({
      key,
      code: first.code,
      severity: first.severity,
      message: list.length === 1 ? first.message : sharedMessage(list),
      count: list.length,
      hint: first.hint,
      link: first.link,
      objects: list.map((f) => f.object),
      members,
    });
  }
  return groups;
}

const objectId = (o: ObjectRef) => `${o.kind}/${o.namespace ?? ''}/${o.name}`;

/** `Pods`, `Ingresses`, `Gateways`, `Policies`. */
export function pluralKind(kind: string): string {
  if (/(?:s|x|z|ch|sh)$/.test(kind)) return `${kind}es`;
  if (/[^aeiou]y$/.test(kind)) return `${kind.slice(0, -1)}ies`;
  return `${kind}s`;
}

/** The verb after "2 Pods" as the subject agrees with it: the messages say "Pod x is Pending", "Ingress x names ...". */
const PLURAL_VERB: Record<string, string> = {
  is: 'are',
  was: 'were',
  has: 'have',
  does: 'do',
  names: 'name',
  asks: 'ask',
  selects: 'select',
  serves: 'serve',
  routes: 'route',
};

/** The distinct values in first-seen order. */
const distinct = (xs: readonly string[]) => [...new Set(xs)];

/** `{a, b, c}`, or `{a, b, c, +4 more}` past three. */
function listOf(values: readonly string[]): string {
  const shown = values.slice(0, 3).join(', ');
  return `{${shown}${values.length > 3 ? `, +${values.length - 3} more` : ''}}`;
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})?$/;

/** One word that differs between the members: a range of counts or times, or the list of values. */
function mergeWord(words: readonly string[]): string {
  // The punctuation around the word ("(8", "restarts;") is the same in each: keep it outside.
  const lead = commonAffix(words, (w) => /^[^A-Za-z0-9]*/.exec(w)![0], 'prefix');
  let tail = commonAffix(words, (w) => /[^A-Za-z0-9]*$/.exec(w)![0], 'suffix');
  if (words.some((w) => lead.length + tail.length > w.length)) tail = '';
  const cores = distinct(words.map((w) => w.slice(lead.length, w.length - tail.length)));
  let merged: string;
  if (cores.length === 1) merged = cores[0]!;
  else if (cores.every((c) => /^\d+$/.test(c))) {
    const ns = cores.map(Number);
    merged = `${Math.min(...ns)}–${Math.max(...ns)}`;
  } else if (cores.every((c) => ISO.test(c))) {
    const sorted = [...cores].sort();
    merged = `${sorted[0]} – ${sorted.at(-1)}`;
  } else merged = listOf(cores);
  return `${lead}${merged}${tail}`;
}

function commonAffix(words: readonly string[], part: (w: string) => string, side: 'prefix' | 'suffix'): string {
  let common = part(words[0]!);
  for (const w of words.slice(1)) {
    const p = part(w);
    let n = 0;
    if (side === 'prefix') while (n < common.length && n < p.length && common[n] === p[n]) n++;
    else while (n < common.length && n < p.length && common[common.length - 1 - n] === p[p.length - 1 - n]) n++;
    common = side === 'prefix' ? common.slice(0, n) : common.slice(common.length - n);
  }
  return common;
}

/**
 * The message of a group of two or more, word by word: a word all members share stays; the object's
 * name after its kind ("Pod x") becomes the count ("12 Pods"), and the verb after it agrees; any other
 * mention of the name becomes the list of names; a word that differs becomes a range or a list
 * ({@link mergeWord}). Messages that do not line up word by word (a host's finding worded per Ingress
 * with a different number of words) give the first member's message: the group still shows the count
 * and every object.
 */
function sharedMessage(list: readonly Finding[]): string {
  const first = list[0]!;
  const split = list.map((f) => maskObject(f).split(' '));
  const length = split[0]!.length;
  if (split.some((words) => words.length !== length)) return first.message;

  const objects = distinct(list.map((f) => objectId(f.object)));
  const names = distinct(list.map((f) => f.object.name));
  const kind = first.object.kind;
  const out: string[] = [];
  let counted = false;
  let agreeNext = false;
  for (let i = 0; i < length; i++) {
    const words = split.map((w) => w[i]!);
    let word = words.every((w) => w === words[0]) ? words[0]! : mergeWord(words);
    if (agreeNext) {
      agreeNext = false;
      const verb = PLURAL_VERB[word];
      if (verb) word = verb;
    }
    if (word.includes(OBJECT)) {
      if (!counted && objects.length > 1 && out.at(-1) === kind && word.startsWith(OBJECT)) {
        // "Pod x: ..." -> "12 Pods: ...": the one place the name says which object the finding is about.
        counted = true;
        out[out.length - 1] = String(objects.length);
        const rest = word.slice(OBJECT.length);
        word = `${pluralKind(kind)}${rest.replaceAll(OBJECT, names.length === 1 ? names[0]! : listOf(names))}`;
        // Only the subject agrees: "Pod x is Pending", not "Secret s of Ingress x does not exist".
        agreeNext = rest === '' && out.length === 1;
      } else word = word.replaceAll(OBJECT, names.length === 1 ? names[0]! : listOf(names));
    }
    out.push(word);
  }
  return out.join(' ');
}
