/**
 * How a Chainboard reaches the demo cluster: the variables scripts/demo.ts gives its own dashboard, and
 * prints so that another Chainboard (`npm start`, `npx chainboard check`) can be pointed at the same
 * cluster. Without the probe variables a second Chainboard dials the hosts' real addresses and asks the
 * system resolver, and nearly every demo domain shows down; so the printed block is built from the very
 * object the demo's dashboard is started with, never written out by hand a second time.
 */

/** Where the demo's pieces listen, as scripts/demo.ts started them. */
export interface DemoEndpoints {
  /** The kubeconfig of the demo Kubernetes API server. */
  kubeconfig: string;
  /** The address and port of the TLS endpoint that stands in for Traefik's websecure entrypoint. */
  probeAddress: string;
  probePort: number;
  /** The PEM of the demo's own CA, which signed the endpoint's certificates. */
  caFile: string;
  /** The demo DNS server, `ip:port`. */
  dnsServer: string;
  /** The demo's Traefik API (demo/traefik-api.ts), `http://127.0.0.1:PORT`. */
  traefikApi: string;
}

/**
 * The settings that point any Chainboard at the demo cluster, as environment variables (the CLI reads
 * the same ones: lib/server/config.ts).
 */
export function demoClusterEnv(e: DemoEndpoints): Record<string, string> {
  return {
    KUBECONFIG: e.kubeconfig,
    // A context exported for another cluster must not select a context the demo kubeconfig lacks.
    CHAINBOARD_CONTEXT: '',
    // The samples hold kubernetes.io/tls Secrets (hst-umbrella): read their public certificates.
    CHAINBOARD_READ_SECRETS: '1',
    // ... and cert-manager Certificates, which the demo API server serves.
    CHAINBOARD_CERT_MANAGER: '1',
    // Probes dial the demo's Traefik stand-in (the configured probe address, as with a real Traefik
    // Service) and ask the demo DNS server; nothing outside 127.0.0.0/8 is ever contacted.
    CHAINBOARD_PROBE: 'on',
    CHAINBOARD_PROBE_ADDRESS: e.probeAddress,
    CHAINBOARD_PROBE_PORT: String(e.probePort),
    CHAINBOARD_PROBE_CA_FILE: e.caFile,
    CHAINBOARD_DNS_SERVERS: e.dnsServer,
    CHAINBOARD_PROBE_LOOPBACK_ONLY: '1',
    // Traefik's own view: the demo's Traefik API, and the Middleware and IngressRoute objects the demo API server serves.
    CHAINBOARD_TRAEFIK_API: e.traefikApi,
    CHAINBOARD_TRAEFIK_MIDDLEWARES: '1',
    CHAINBOARD_TRAEFIK_INGRESSROUTES: '1',
    // The Gateway API objects it serves (demo/extra/hst-gatelab.yaml).
    CHAINBOARD_GATEWAY_API: '1',
  };
}

/** A word as POSIX sh reads it back unchanged: bare when safe, else in single quotes. */
export function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** `export NAME=value` lines, ready to paste into a POSIX shell. */
export function exportLines(vars: Record<string, string>): string[] {
  return Object.entries(vars).map(([k, v]) => `export ${k}=${shellQuote(v)}`);
}

/** What the demo prints: the export lines, and what to run with them. */
export function pointAnotherChainboard(vars: Record<string, string>, port: number): string {
  const other = port === 3001 ? 3002 : 3001;
  return [
    'To point another Chainboard at this demo cluster (npm start, npx chainboard check), export these in its shell:',
    '',
    ...exportLines(vars).map((l) => `  ${l}`),
    '',
    `  then: npm start -- -p ${other}   (the production build npm run demo made; or npm run build first)`,
    '     or: npx chainboard check',
  ].join('\n');
}
