import Link from 'next/link';
import type { ServedBy } from '../../lib/api/types';
import { hrefs } from '../data/keys';
import { HealthBadge } from '../ui/health';

/** Where public DNS sends the host, in words, seen from one serving cluster. */
export const DNS_TEXT: Record<ServedBy['dns'], string> = {
  here: 'DNS points here today',
  elsewhere: 'DNS points elsewhere',
  unknown: 'where DNS points is not known',
};

/**
 * "Also served by": the other clusters with a chain for this host (a client being moved), each with its
 * chain's health, where DNS points, and a link to that cluster's chain of the same host.
 */
export function AlsoServedBy({ host, cluster, servedBy }: { host: string; cluster: string; servedBy: readonly ServedBy[] }) {
  const self = servedBy.find((s) => s.cluster === cluster);
  const others = servedBy.filter((s) => s.cluster !== cluster);
  if (others.length === 0) return null;
  return (
    <section aria-labelledby="served-by-h" className="rounded-lg border border-blue-300 bg-blue-50 p-4 text-sm dark:border-blue-800 dark:bg-blue-950/40">
      <h2 id="served-by-h" className="text-base font-semibold">
        Also served by
      </h2>
      <p className="mt-1 text-zinc-700 dark:text-zinc-300">
        {host} has a chain in {servedBy.length} clusters. This page shows cluster <strong>{cluster}</strong>
        {self ? ` (${DNS_TEXT[self.dns]})` : ''}.
      </p>
      <ul className="mt-2 space-y-1">
        {others.map((o) => (
          <li key={o.cluster} className="flex flex-wrap items-center gap-2">
            <HealthBadge health={o.health} size="sm" />
            <Link href={hrefs.domain({ cluster: o.cluster, host })} className="font-medium text-blue-700 hover:underline dark:text-blue-400">
              {host} in cluster {o.cluster}
            </Link>
            <span className="text-zinc-700 dark:text-zinc-300">· {DNS_TEXT[o.dns]}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
