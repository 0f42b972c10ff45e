/**
 * Causes: a symptom finding linked to the findings that explain it, so the first thing shown is the
 * fault and the command that shows it (a crash loop's `logs --previous`, a pending Pod's scheduler
 * reason) rather than the symptom's own evidence. Which findings explain which is data on the rules
 * (`RuleInfo.causes`); this step only fills `Finding.causes` with their ids.
 */
import type { Finding } from '../../model/chain';
import { sortFindings } from '../../model/health';
import { SERVICE_RULES } from '../rules/service';
import type { CauseScope } from '../rules/types';

const SERVICE_CAUSES: ReadonlyMap<string, CauseScope> = new Map(SERVICE_RULES.flatMap((r) => (r.causes ? [[r.code, r.causes] as const] : [])));

/** The findings that may explain a Service port's symptoms, by scope. */
export type CauseCandidates = Readonly<Record<CauseScope, readonly Finding[]>>;

/**
 * The Service port's findings, each symptom with the ids of the candidate findings of its scope, worst
 * first (a finding without candidates is returned as it is). Never changes the findings given.
 */
export function linkServiceCauses(findings: readonly Finding[], candidates: CauseCandidates): Finding[] {
  return findings.map((f) => {
    const scope = SERVICE_CAUSES.get(f.code);
    const causes = scope ? sortFindings(candidates[scope]).map((c) => c.id) : [];
    return causes.length > 0 ? { ...f, causes } : f;
  });
}
