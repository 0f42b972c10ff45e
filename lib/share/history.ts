/**
 * What a client may see of a domain's past, behind its share link: uptime per window and the incidents,
 * each as when, how long, how bad and the catalogue titles of its finding codes. Built by whitelisting,
 * like lib/share/redact.ts: incidents' messages and the changes before them name Services, Secrets,
 * workloads and Pods (`Service booking selector app=booking -> app=bookng`), so neither is passed on, not
 * even scrubbed; transitions, changes and no-data spans are not passed on at all.
 */
import { ruleByCode } from '../chain/catalogue';
import type { DomainHistory, Incident, Uptime } from '../history/types';
import { UPTIME_WINDOWS } from '../history/types';

export interface SharedIncident {
  start: string;
  /** Absent while it lasts. */
  end?: string;
  durationSeconds: number;
  worst: Incident['worst'];
  /** The catalogue's short names of its finding codes ("No ready endpoints"), unique, in code order. */
  titles: string[];
}

export interface SharedHistory {
  uptime: Uptime[];
  incidents: SharedIncident[];
}

/** The redacted history of a domain. Pure. */
export function redactHistory(h: Pick<DomainHistory, 'uptime' | 'incidents'>): SharedHistory {
  const uptime = UPTIME_WINDOWS.flatMap((w) => {
    const u = h.uptime.find((x) => x.window === w);
    if (!u) return [];
    const s = u.seconds;
    return [{ window: w, ratio: u.ratio, seconds: { healthy: s.healthy, degraded: s.degraded, down: s.down, unknown: s.unknown, 'no-data': s['no-data'] } }];
  });
  const incidents = h.incidents.map((i) => ({
    start: i.start,
    ...(i.end ? { end: i.end } : {}),
    durationSeconds: i.durationSeconds,
    worst: i.worst,
    // Codes are Chainboard's own fixed strings; a code the catalogue does not know is shown as itself.
    titles: [...new Set(i.codes.map((c) => ruleByCode(c)?.title ?? c))],
  }));
  return { uptime, incidents };
}
