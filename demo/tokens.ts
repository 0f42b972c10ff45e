/**
 * The demo cluster's resourceVersions and continue tokens, as its storage writes and reads them. Only the
 * server that issues them reads into them; clients treat both as opaque.
 *
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#retrieving-large-results-sets-in-chunks
 */

/** The revision a resourceVersion of the demo's own stands for; undefined when it is not one. */
export function revisionOf(resourceVersion: string): number | undefined {
  return /^\d+$/.test(resourceVersion) ? Number(resourceVersion) : undefined;
}

/** The continue token has the API server's shape: base64 of `{"v":"meta.k8s.io/v1","rv":N,"start":KEY}`. */
export function encodeContinue(rv: number, start: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start })).toString('base64url');
}

/** The revision and start key of a continue token; undefined when it is not one of ours. */
export function decodeContinue(token: string): { rv: number; start: string } | undefined {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { v?: unknown; rv?: unknown; start?: unknown };
    if (t.v === 'meta.k8s.io/v1' && typeof t.rv === 'number' && typeof t.start === 'string') return { rv: t.rv, start: t.start };
  } catch {
    // not base64 JSON: not ours
  }
  return undefined;
}
