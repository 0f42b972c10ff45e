/**
 * Rules as data with one generic runner, after Backstage's `detectErrors`/`ErrorMapper`: a rule is a
 * catalogue entry (code, severity, family, words for the docs) plus a pure `check` over one subject
 * (an Ingress, a route, a Service port, a Pod, a probe result...). Adding a rule is adding an entry to a
 * family file, and to its `<family>.scenarios.ts` a scenario over a fixture that triggers it and a
 * healthy near-miss (then regenerate docs/finding-codes.md).
 */
import type { ChainLink, Finding, Severity } from '../../model/chain';
import type { ObjectRef } from '../../model/k8s';

export type RuleFamily = 'ingress' | 'tls' | 'dns' | 'service' | 'pod' | 'data';

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
      out.push({
        code: rule.code,
        severity: h.severity ?? rule.severity,
        link: h.link ?? at.link,
        object: h.object ?? at.object,
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
  const { code, severity, family, title, description, hint, alsoSeverity } = r;
  return { code, severity, family, title, description, ...(hint ? { hint } : {}), ...(alsoSeverity ? { alsoSeverity } : {}) };
}
