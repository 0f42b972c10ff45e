/**
 * lib/chain: the pure analysis engine. A snapshot goes in; every domain's chain
 * (Ingress rule -> Service port -> EndpointSlice endpoints -> Pods), its findings and its health come
 * out. No I/O and no clock: pass `now`. Imports only lib/model.
 *
 * Incremental use: `partitionSnapshot` splits a snapshot per namespace, `analyzeNamespace` analyses one
 * part, `combine` merges the parts; `analyze(s)` equals `combine` over every part.
 */
export { analyze, analyzeNamespace, combine, compareDomains, matchesPrefix, partitionSnapshot, type NamespaceAnalysis } from './analyze';
export { RULES, ruleByCode, type RuleFamily, type RuleInfo } from './catalogue';
export { compareFindings, compareHealth, rollUp, severityHealth, sortFindings, worstHealth } from '../model/health';
export { certificateCovers, certificateNameMatches, hostPatternCovers, isConcreteHost, normalizeHost } from './hosts';
export { edgeLink, linkIds, linkKey, nodeId, nodeLink } from '../model/ids';
export { DEFAULT_NAMESPACE_PREFIX, type AnalyzeOptions } from './options';
export { isTraefikDefaultCert, validity, type Validity } from './rules/tls';
export { routeProbeSources, type RouteObjects } from './probe-sources';
export { probeRouteKind } from './route-kind';
