/**
 * The `{cluster}` segment as a name. Cluster names are DNS labels, which need no escaping; a segment that
 * does not decode is kept as typed, and app/c/[cluster]/layout.tsx then finds no cluster of that name.
 */
export function clusterParam(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
