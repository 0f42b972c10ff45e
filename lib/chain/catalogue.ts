/**
 * The rule catalogue as data: every finding code Chainboard reports, with its severity, family and
 * meaning. docs/finding-codes.md is generated from it (scripts/finding-codes.ts) and a test keeps the
 * two in sync.
 */
import { DATA_RULES } from './rules/data';
import { DNS_HOST_RULES, DNS_PROBE_RULES } from './rules/dns';
import { GATEWAY_ROUTE_RULES } from './rules/gateway';
import { HTTP_PROBE_RULES } from './rules/http';
import { INGRESS_HOST_RULES, INGRESS_NAMESPACE_RULES, INGRESS_RULES, ROUTE_RULES } from './rules/ingress';
import { POD_RULES } from './rules/pod';
import { SERVICE_RULES } from './rules/service';
import { TLS_OBJECT_RULES, TLS_PROBE_RULES } from './rules/tls';
import { INGRESSROUTE_RULES, TRAEFIK_MIDDLEWARE_RULES, TRAEFIK_ROUTER_RULES } from './rules/traefik';
import { CAUSE_SCOPE_TEXT, ruleInfo, type Rule, type RuleFamily, type RuleInfo } from './rules/types';

export type { RuleFamily, RuleInfo };

const FAMILY_ORDER: readonly RuleFamily[] = ['ingress', 'gateway', 'traefik', 'tls', 'certificate', 'acme', 'dns', 'http', 'service', 'pod', 'data'];

/**
 * The lists the engine runs, each over one kind of subject, in catalogue order. A rule's suppression
 * names rules of its own list (see `Rule` in rules/types.ts).
 */
export const RULE_LISTS: readonly (readonly Rule<never, never>[])[] = [
  INGRESS_RULES,
  INGRESS_NAMESPACE_RULES,
  ROUTE_RULES,
  INGRESS_HOST_RULES,
  GATEWAY_ROUTE_RULES,
  TRAEFIK_MIDDLEWARE_RULES,
  TRAEFIK_ROUTER_RULES,
  INGRESSROUTE_RULES,
  TLS_OBJECT_RULES,
  TLS_PROBE_RULES,
  DNS_HOST_RULES,
  DNS_PROBE_RULES,
  HTTP_PROBE_RULES,
  SERVICE_RULES,
  POD_RULES,
  DATA_RULES,
];

/** Every rule, by family (ingress, gateway, traefik, tls, certificate, acme, dns, http, service, pod, data), in the order they are judged. */
export const RULES: readonly RuleInfo[] = Object.freeze(
  RULE_LISTS.flat()
    .map(ruleInfo)
    .sort((a, b) => FAMILY_ORDER.indexOf(a.family) - FAMILY_ORDER.indexOf(b.family)),
);

const BY_CODE = new Map(RULES.map((r) => [r.code, r]));

/** The catalogue entry of a code, if it is one. */
export function ruleByCode(code: string): RuleInfo | undefined {
  return BY_CODE.get(code);
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/**
 * The catalogue as a markdown document: one table per family with code, severity, meaning and what to
 * do. docs/finding-codes.md is this text (scripts/finding-codes.ts prints it).
 */
export function catalogueMarkdown(): string {
  const lines = [
    '# Finding codes',
    '',
    '<!-- Generated from lib/chain/catalogue.ts by `node --import tsx scripts/finding-codes.ts > docs/finding-codes.md`; do not edit. -->',
    '',
    'Every finding Chainboard reports has one of these stable codes. Severity: **critical** means requests to the',
    'domain fail now (the domain is `down`), **warning** means degraded or at risk (`degraded`), **info** is a note',
    'that never lowers health. Data Chainboard could not read makes a domain `unknown`, never `healthy`. Each',
    "finding carries its own hint: the exact command with the names filled in; the last column gives its form.",
    '',
  ];
  for (const family of FAMILY_ORDER) {
    lines.push(`## ${family}`, '', '| Code | Severity | Meaning | What to do |', '| --- | --- | --- | --- |');
    for (const r of RULES.filter((x) => x.family === family)) {
      const severity = r.alsoSeverity ? `${r.severity} (${r.alsoSeverity.severity} when ${r.alsoSeverity.when})` : r.severity;
      const causes = r.causes ? ` Its \`causes\`: ${CAUSE_SCOPE_TEXT[r.causes]}.` : '';
      lines.push(`| \`${r.code}\` | ${cell(severity)} | **${cell(r.title)}.** ${cell(r.description)}${cell(causes)} | ${r.hint ? `\`${cell(r.hint)}\`` : ''} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
