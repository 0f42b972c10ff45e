/** The cluster a page or row is about, as a small labelled chip: shown only when Chainboard watches several. */
export function ClusterChip({ cluster, className = '' }: { cluster: string; className?: string }) {
  return (
    <span
      className={`inline-flex items-center gap-1 rounded border border-zinc-300 bg-zinc-100 px-1.5 py-0.5 font-mono text-xs font-medium text-zinc-800 dark:border-zinc-600 dark:bg-zinc-800 dark:text-zinc-200 ${className}`}
    >
      <span className="font-sans font-normal text-zinc-600 dark:text-zinc-400">cluster</span> {cluster}
    </span>
  );
}
