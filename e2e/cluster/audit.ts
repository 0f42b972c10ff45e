/**
 * The apiserver's audit log (JSON lines, level Metadata, audit-policy.yaml): who made which request.
 *
 * @see https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/
 */
import { readFile } from 'node:fs/promises';

/** One audit event (audit.k8s.io/v1, level Metadata). */
export interface AuditEvent {
  auditID: string;
  stage: string;
  verb: string;
  requestURI: string;
  user: { username: string; groups?: string[] };
  objectRef?: { resource?: string; namespace?: string; name?: string; apiGroup?: string; subresource?: string };
  responseStatus?: { code?: number };
}

/** The events written so far (optionally only those of one user name); none when there is no log yet. */
export async function readAuditEvents(path: string, username?: string): Promise<AuditEvent[]> {
  let text = '';
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return [];
  }
  const events: AuditEvent[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const ev = JSON.parse(line) as AuditEvent;
      if (username === undefined || ev.user?.username === username) events.push(ev);
    } catch {
      // a line being written right now
    }
  }
  return events;
}
