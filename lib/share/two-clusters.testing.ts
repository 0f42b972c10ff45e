import 'server-only';
/**
 * Test support: the sample app as if it watched two clusters, `eu` and `us`, each serving the sample dump
 * (so every host is served by both, as while a client is being moved). The read API and sharing are
 * built over that two-cluster source exactly as lib/server/app.ts builds them; the history is the one
 * given (a double, lib/api/history-double.ts).
 */
import { analyze } from '../chain';
import { loadDump } from '../cluster/dump';
import type { AnalysisSource } from '../api/source';
import { createApiService } from '../api/service';
import type { SyncInfo } from '../api/types';
import type { HistoryService } from '../history/types';
import type { App } from '../server/app';
import { sampleApp, SAMPLE_CLUSTER } from '../server/testing';
import { createShareService } from './service';

export const TWO_CLUSTERS = ['eu', 'us'] as const;

export function twoClusterApp(history: HistoryService, env: Record<string, string> = {}, now: () => Date = () => new Date()): App {
  const base = sampleApp(env, now);
  const at = now();
  const result = analyze(loadDump(SAMPLE_CLUSTER).snapshot, { now: at });
  const sync: SyncInfo = { ready: true, syncedAt: at.toISOString(), kinds: [] };
  const source: AnalysisSource = {
    mode: 'live',
    clusters: () => TWO_CLUSTERS.map((name) => ({ name, result, sync })),
    stop: async () => {},
  };
  const api = createApiService(async () => source);
  return { ...base, api, share: createShareService(base.config.share, api), history };
}
