/**
 * The history service when there is no history: a dump (a moment, not a timeline), `chainboard check`,
 * or `CHAINBOARD_HISTORY=off`. It records nothing and every read says history is unavailable, with why,
 * so pages show "history off" rather than an empty timeline that reads as "nothing happened".
 */
import type { HistoryService } from './types';

export function offHistory(reason: string, retentionDays = 0, defaultCluster = 'default'): HistoryService {
  return {
    status: () => ({ available: false, reason, engine: 'off', role: 'none', retentionDays, pending: 0, defaultCluster }),
    record: () => {},
    heartbeat: () => {},
    lastStates: async () => undefined,
    domain: async () => undefined,
    namespace: async () => undefined,
    summaries: () => undefined,
    clusters: () => undefined,
    flush: async () => {},
    close: async () => {},
  };
}
