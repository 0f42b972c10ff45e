/**
 * `chainboard check --summary`: one line per domain (health, host, environment, the finding to look at
 * first), aligned in columns so a whole cluster reads top to bottom and greps by word.
 */
import { SEVERITY_ORDER, type DomainChain, type Finding, type NamespaceSummary } from '../model/chain';
import { groupFindings } from '../model/groups';
import type { Palette } from './color';

/** Widest health word, so the hosts start in one column. */
const HEALTH_WIDTH = 'degraded'.length;

/**
 * The finding to read first: the most severe (the engine's order within a severity), never an `info`,
 * which says how things are rather than what is wrong.
 */
export function topFinding(findings: readonly Finding[]): Finding | undefined {
  for (const sev of SEVERITY_ORDER) {
    if (sev === 'info') return undefined;
    const f = findings.find((x) => x.severity === sev);
    if (f) return f;
  }
  return undefined;
}

/**
 * The top finding and how many other things are wrong. Identical findings count once (see
 * groupFindings): the top one may stand for 12 Pods ("12 Pods: ..."), and "+1 more" is one more fault.
 */
function findingText(findings: readonly Finding[], codeWidth: number, p: Palette): string {
  const problems = groupFindings(findings).filter((g) => g.severity !== 'info');
  const top = problems[0];
  if (!top) return '';
  const more = problems.length - 1;
  return `${p.severity(top.severity, top.code.padEnd(codeWidth))}  ${top.message}${more > 0 ? p.dim(` (+${more} more)`) : ''}`;
}

function codeWidth(lists: readonly (readonly Finding[])[]): number {
  return Math.max(0, ...lists.map((fs) => topFinding(fs)?.code.length ?? 0));
}

/**
 * The lines of `--summary`, in the order of the domains given; `alignWith` are the namespace findings
 * listed below them, whose codes share the column.
 */
export function summaryLines(domains: readonly DomainChain[], p: Palette, alignWith: readonly NamespaceSummary[] = []): string[] {
  const codes = codeWidth([...domains.map((d) => d.findings), ...alignWith.map((ns) => ns.findings)]);
  const hostWidth = Math.max(0, ...domains.map((d) => d.host.length));
  const envs = domains.map((d) => d.namespaces.join(','));
  const envWidth = Math.max(0, ...envs.map((e) => e.length));
  return domains.map((d, i) => {
    let what = findingText(d.findings, codes, p);
    // Data that could not be read is why a domain is unknown, even when no rule could fire.
    if (!what && d.gaps[0]) what = p.magenta(`cannot read ${d.gaps[0].kind}${d.gaps[0].namespace ? ` in ${d.gaps[0].namespace}` : ''}`);
    const cells = [p.health(d.health, d.health.padEnd(HEALTH_WIDTH)), d.host.padEnd(hostWidth), p.dim(envs[i]!.padEnd(envWidth)), what];
    return cells.join('  ').trimEnd();
  });
}

/**
 * A namespace's findings outside any domain, as one line under the domains of `--summary`. Its first
 * column is the worst severity of those findings: the namespace's health is its domains' and would
 * repeat them.
 */
export function namespaceSummaryLines(namespaces: readonly NamespaceSummary[], domains: readonly DomainChain[], p: Palette): string[] {
  const codes = codeWidth([...domains.map((d) => d.findings), ...namespaces.map((ns) => ns.findings)]);
  return namespaces.map((ns) => {
    const worst = SEVERITY_ORDER.find((sev) => ns.findings.some((f) => f.severity === sev)) ?? 'info';
    const what = findingText(ns.findings, codes, p) || p.dim(`${ns.findings.length} finding${ns.findings.length === 1 ? '' : 's'}`);
    return `${p.severity(worst, worst.padEnd(HEALTH_WIDTH))}  ${ns.name} ${p.dim('(outside any domain)')}  ${what}`.trimEnd();
  });
}
