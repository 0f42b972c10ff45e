/**
 * Network checks of what a domain serves: TLS handshakes with SNI, DNS lookups and HTTPS requests per route path, with timeouts, a
 * concurrency limit and a cache. Probes only ever target hosts and addresses taken from the cluster's
 * Ingress objects or the configuration (see `probeTargets`).
 */
import 'server-only';

export { probeTls, classifyTlsError, formatTarget, DEFAULT_PROBE_TIMEOUT_MS, type TlsProbeOptions } from './tls';
export { probeDns, type DnsProbeOptions } from './dns';
export { probeHttp, probeHttpHost, MAX_REDIRECTS, MAX_BODY_BYTES, type HttpCheck, type HttpProbeOptions } from './http';
export { probeTargets, loopbackOnly, type ProbeTarget, type TargetOptions } from './targets';
export { ProbeManager, probeAll, type ProbeManagerOptions, type ProbeListener } from './manager';
export {
  probeSettingsFromFlags,
  parseDnsServer,
  ProbeSettingsError,
  DEFAULT_PROBE_SETTINGS,
  PROBE_FLAG_OPTIONS,
  type ProbeSettings,
  type ProbeFlags,
} from './settings';
