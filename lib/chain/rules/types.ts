/**
 * Rules as data with one generic runner, after Backstage's `detectErrors`/`ErrorMapper`: a rule is a
 * catalogue entry (code, severity, family, words for the docs) plus a pure `check` over one subject
 * (an Ingress, a route, a Service port, a Pod, a probe result...). Adding a rule is adding an entry to a
 * family file, and to its `<family>.scenarios.ts` a scenario over a fixture that triggers it and a
 * healthy near-miss (then regenerate docs/finding-codes.md).
 */
import type { ChainLink, Finding, Severity } from '../../model/chain';
import { linkKey } from '../../model/ids';
import type { ObjectRef } from '../../model/k8s';

export type RuleFamily = 'ingress' | 'gateway' | 'traefik' | 'tls' | 'certificate' | 'acme' | 'dns' | 'http' | 'service' | 'pod' | 'data';

/**
 * Which findings of the chain explain a rule's finding, linked by the engine as `Finding.causes`:
 * - `not-ready-endpoint-pods`: those of the Pods behind the Service port's endpoints that are neither
 *   ready nor terminating (why they are not ready: a crash loop, an OOM kill, a failing readiness probe);
 * - `pods-without-endpoint`: those of the Pods the Service selects that have no endpoint (why they have
 *   none: not scheduled, failed, their containers cannot start).
 */
export type CauseScope = 'not-ready-endpoint-pods' | 'pods-without-endpoint';

/** The words the docs use for a cause scope. */
export const CAUSE_SCOPE_TEXT: Readonly<Record<CauseScope, string>> = {
  'not-ready-endpoint-pods': 'the findings of the Pods behind its not-ready endpoints',
  'pods-without-endpoint': 'the findings of the selected Pods that have no endpoint',
};

/** A rule as the catalogue, the docs and the UI see it. */
export interface RuleInfo {
  /** Stable slug, `family.what`; tests and users key on it. */
  code: string;
  /** The severity the rule reports with (see `alsoSeverity` for the one exception a rule may have). */
  severity: Severity;
  family: RuleFamily;
  /** A short name, e.g. "No ready endpoints". */
  title: string;
  /** What it means, for the docs. */
  description: string;
  /** What to do, for the docs; each finding carries its own concrete hint. */
  hint?: string;
  /** When a rule reports at a second severity, and when. */
  alsoSeverity?: { severity: Severity; when: string };
  /** The findings that explain this one, which the engine lists in its `causes`. */
  causes?: CauseScope;
}

/** One thing a rule found; the runner turns it into a `Finding`. */
export interface Hit {
  message: string;
  /** The exact next command, with the names filled in. */
  hint: string;
  /** Overrides the rule's severity (only as its `alsoSeverity` says). */
  severity?: Severity;
  /** Override the subject's default link / object. */
  link?: ChainLink;
  object?: ObjectRef;
  /** Tells apart the hits of one rule on one subject that share object and link (see `findingId`). */
  key?: string;
}

export type CheckResult = Hit | readonly Hit[] | undefined | false | null;

/**
 * A rule over subjects of type `S` with context `C`.
 *
 * Suppression, the one way a rule gives way to another: `suppressedBy` lists the codes that, reported
 * for the same subject, make this rule's findings redundant (the other finding names the same fault
 * more precisely, or a fault that explains this one). `runRules` runs the rules of a list in order and
 * skips a rule when one of those codes has been reported; so every code a rule names is that of a rule
 * earlier in the same list (a test checks it). A family whose subject gets at most one finding (a Pod)
 * lists its rules most specific first and each rule names every rule before it. A rule's `check` sees
 * only its subject and context, never what other rules found: a condition that depends on the subject
 * (a named target port, a verification error) is part of the check, through a predicate the rules share.
 */
export interface Rule<S, C> extends RuleInfo {
  /** Codes that, reported for the same subject by an earlier rule of the list, make this one redundant. */
  suppressedBy?: readonly string[];
  /** Pure. */
  check(subject: S, ctx: C): CheckResult;
}

/** Where the findings of one subject are attached. */
export interface RunAt {
  /** Default link and object of the findings (a hit may override them). */
  link: ChainLink;
  object: ObjectRef;
  /** Tells apart subjects that share an object and a link, e.g. the ports of one Service (see `findingId`). */
  key?: string;
}

/**
 * The id of a finding (see `Finding.id`): the code and the object, the link when it is not the object's
 * own node, and the key of the subject and of the hit when one object gets several findings of a code.
 */
export function findingId(code: string, object: ObjectRef, link: ChainLink, ...keys: (string | undefined)[]): string {
  const own = `${object.kind}/${object.name}`;
  const where = linkKey(link);
  const key = keys.filter((k) => k !== undefined && k !== '').join('#');
  return `${code}:${object.namespace ?? ''}/${own}${where === own ? '' : `@${where}`}${key ? `#${key}` : ''}`;
}

/** Run rules, in order, over one subject, skipping those a reported code suppresses. */
export function runRules<S, C>(rules: readonly Rule<S, C>[], subject: S, ctx: C, at: RunAt): Finding[] {
  const out: Finding[] = [];
  const reported = new Set<string>();
  for (const rule of rules) {
    if (rule.suppressedBy && reported.size > 0 && rule.suppressedBy.some((c) => reported.has(c))) continue;
    const r = rule.check(subject, ctx);
    if (!r) continue;
    const hits: readonly Hit[] = Array.isArray(r) ? r : [r as Hit];
    if (hits.length === 0) continue;
    for (const h of hits) {
      const link = h.link ?? at.link;
      const object = h.object ?? at.object;
      out.push({
        id: findingId(rule.code, object, link, at.key, h.key),
        code: rule.code,
        severity: h.severity ?? rule.severity,
        link,
        object,
        message: h.message,
        hint: h.hint,
      });
    }
    reported.add(rule.code);
  }
  return out;
}

/** The catalogue entry of a rule, without its check and suppression. */
export function ruleInfo(r: RuleInfo): RuleInfo {
  const { code, severity, family, title, description, hint, alsoSeverity, causes } = r;
  return { code, severity, family, title, description, ...(hint ? { hint } : {}), ...(alsoSeverity ? { alsoSeverity } : {}), ...(causes ? { causes } : {}) };
}
