/** The Traefik section of the configuration (parsed in lib/server/config.ts). */
export interface TraefikSettings {
  /** The API's base URL, e.g. `http://traefik-api.traefik.svc:9000`. */
  api: string;
  /** How often the API is read. */
  intervalMs: number;
  /** Over one whole read. */
  timeoutMs: number;
}

export const DEFAULT_TRAEFIK_INTERVAL_MS = 15_000;
export const DEFAULT_TRAEFIK_TIMEOUT_MS = 5_000;
