/**
 * A symptom's causes as the engine linked them (`Finding.causes`): looked up, never worked out here.
 */
import type { Finding } from '../../lib/model/chain';

/** The findings a symptom names as its causes, in its order (worst first); an id not in the list is skipped. */
export function causesOf(symptom: Finding, findings: readonly Finding[]): Finding[] {
  if (!symptom.causes?.length) return [];
  const byId = new Map(findings.map((f) => [f.id, f]));
  return symptom.causes.flatMap((id) => byId.get(id) ?? []);
}
