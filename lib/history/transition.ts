/**
 * A domain's transition as the recorder and the demo's generated past write it: the codes of its
 * critical and warning findings (sorted, unique) and the message of the top one. Findings are worst
 * first, so the top one is the first; a domain `unknown` for missing data and no finding says why with
 * its first data gap.
 */
import type { DomainChain } from '../model/chain';
import type { HistoryState, Transition } from './types';

/** What the recorder remembers of a host between views. */
export interface HostMemory {
  state: HistoryState;
  namespace: string;
  /** The view generation that last held the host. */
  seen: number;
}

/** The codes and message a transition to `d.health` carries. */
export function domainCause(d: Pick<DomainChain, 'findings' | 'gaps' | 'health'>): { codes: string[]; message?: string } {
  const codes = new Set<string>();
  let message: string | undefined;
  for (const f of d.findings) {
    if (f.severity === 'info') continue;
    codes.add(f.code);
    message ??= f.message;
  }
  if (d.health !== 'healthy') message ??= d.gaps[0]?.message;
  return message === undefined || d.health === 'healthy' ? { codes: [...codes].sort() } : { codes: [...codes].sort(), message };
}

export function transitionFor(cluster: string, at: string, d: DomainChain, from: HistoryState): Transition {
  return { cluster, host: d.host, namespace: d.namespace, at, from, to: d.health, ...domainCause(d) };
}
