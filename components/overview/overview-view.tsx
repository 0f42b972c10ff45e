'use client';
import Link from 'next/link';
import { useEffect, useId, useRef, useState } from 'react';
import type { OverviewResponse, OverviewRow } from '../../lib/api/types';
import { HEALTH_ORDER, type Health } from '../../lib/model/chain';
import { focusOf, hrefs, OVERVIEW_PAGE_SIZE, type OverviewQuery } from '../data/keys';
import { useOverview } from '../data/use-overview';
import { LiveBanners, LiveLine } from '../live/live-bar';
import { FindingLine } from '../ui/finding';
import { HealthBadge, HealthCounts, HEALTH_TEXT } from '../ui/health';

/**
 * The overview: every client environment, worst first, with text and health filters kept in the URL
 * (a filtered view is a link) and server-side paging, so hundreds of environments stay instant.
 */
export function OverviewView({ initialQuery, initial }: { initialQuery: OverviewQuery; initial: OverviewResponse }) {
  const [text, setText] = useState(initialQuery.q ?? '');
  const [query, setQuery] = useState<OverviewQuery>(initialQuery);
  const { data, error, isValidating, updatedAt } = useOverview(query, { query: initialQuery, data: initial });
  const view = data ?? initial;

  // Typing filters after a short pause, so each keystroke does not cost a request.
  useEffect(() => {
    const t = setTimeout(() => {
      setQuery((q) => ((q.q ?? '') === text.trim() ? q : { ...q, q: text.trim() || undefined, offset: 0 }));
    }, 250);
    return () => clearTimeout(t);
  }, [text]);

  // The URL follows the view without a navigation (Next's router picks replaceState up).
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    window.history.replaceState(null, '', hrefs.overview(query));
  }, [query]);

  const searchId = useId();
  const healthId = useId();
  const offset = query.offset ?? 0;
  const limit = view.limit || OVERVIEW_PAGE_SIZE;
  const shownFrom = view.matched === 0 ? 0 : view.offset + 1;
  const shownTo = view.offset + view.namespaces.length;
  const t = view.totals;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-bold tracking-tight">Client environments</h1>
          <p className="mt-1 text-sm text-zinc-700 dark:text-zinc-300">
            {t.namespaces} environment{t.namespaces === 1 ? '' : 's'} · {t.domains} domain{t.domains === 1 ? '' : 's'}:{' '}
            {HEALTH_ORDER.filter((h) => t.domainHealth[h] > 0)
              .map((h) => `${t.domainHealth[h]} ${h}`)
              .join(', ') || 'none'}
          </p>
        </div>
        <LiveLine sync={view.sync} updatedAt={updatedAt} error={error} isValidating={isValidating} />
      </div>
      <LiveBanners sync={view.sync} updatedAt={updatedAt} error={error} isValidating={isValidating} />

      <form role="search" aria-label="Filter environments" className="flex flex-wrap items-end gap-3" onSubmit={(e) => e.preventDefault()}>
        <div className="min-w-0 flex-1 basis-56">
          <label htmlFor={searchId} className="block text-sm font-medium">
            Environment or domain
          </label>
          <input
            id={searchId}
            type="search"
            value={text}
            onChange={(e) => setText(e.target.value)}
            maxLength={200}
            placeholder="e.g. acme or checkout.acme.junovy.com"
            autoComplete="off"
            spellCheck={false}
            className="mt-1 w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm dark:border-zinc-600 dark:bg-zinc-900"
          />
        </div>
        <div>
          <label htmlFor={healthId} className="block text-sm font-medium">
            Health
          </label>
          <select
            id={healthId}
            value={query.health ?? ''}
            onChange={(e) => setQuery((q) => ({ ...q, health: (e.target.value || undefined) as Health | undefined, offset: 0 }))}
            className="mt-1 rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm dark:border-zinc-600 dark:bg-zinc-900"
          >
            <option value="">All ({t.namespaces})</option>
            {HEALTH_ORDER.map((h) => (
              <option key={h} value={h}>
                {HEALTH_TEXT[h]} ({t.namespaceHealth[h]})
              </option>
            ))}
          </select>
        </div>
      </form>

      <p className="text-sm text-zinc-600 dark:text-zinc-400" aria-live="polite">
        {view.matched === 0
          ? 'No environment matches the filter.'
          : `Showing ${shownFrom}–${shownTo} of ${view.matched} environment${view.matched === 1 ? '' : 's'}, worst first`}
      </p>

      <ul aria-label="Environments" className="space-y-3">
        {view.namespaces.map((row) => (
          <EnvironmentCard key={row.name} row={row} />
        ))}
      </ul>

      {view.matched > limit ? (
        <nav aria-label="Pages" className="flex items-center justify-between gap-2">
          <button
            type="button"
            disabled={offset === 0}
            onClick={() => setQuery((q) => ({ ...q, offset: Math.max(0, offset - limit) }))}
            className="rounded-md border border-zinc-300 px-3 py-1.5 text-sm disabled:opacity-40 dark:border-zinc-600"
          >
            ← Previous
          </button>
          <span className="text-sm">
            Page {Math.floor(offset / limit) + 1} of {Math.ceil(view.matched / limit)}
          </span>
          <button
            type="button"
            disabled={offset + limit >= view.matched}
            onClick={() => setQuery((q) => ({ ...q, offset: offset + limit }))}
            className="rounded-md border border-zinc-300 px-3 py-1.5 text-sm disabled:opacity-40 dark:border-zinc-600"
          >
            Next →
          </button>
        </nav>
      ) : null}
    </div>
  );
}

/** One environment: health, domain counts, and links straight to its worst domains' broken links. */
function EnvironmentCard({ row }: { row: OverviewRow }) {
  const headingId = useId();
  const unhealthy = row.domainCount - row.counts.healthy;
  const nsFindings = row.worstDomains.length === 0 ? row.worstFindings.filter((f) => f.severity !== 'info').slice(0, 2) : [];
  return (
    <li
      aria-labelledby={headingId}
      className="grid gap-3 rounded-lg border border-zinc-200 bg-white p-4 md:grid-cols-[minmax(12rem,16rem)_1fr] dark:border-zinc-800 dark:bg-zinc-900"
    >
      <div className="min-w-0 space-y-2">
        <h2 className="flex flex-wrap items-center gap-2 text-lg font-semibold">
          <Link id={headingId} href={hrefs.namespace(row.name)} className="truncate hover:underline">
            {row.name}
          </Link>
          <HealthBadge health={row.health} size="sm" />
        </h2>
        <p className="text-sm text-zinc-700 dark:text-zinc-300">
          {row.domainCount} domain{row.domainCount === 1 ? '' : 's'}
          {row.forbidden ? <span className="ml-2 font-medium text-unknown">· some data forbidden</span> : null}
        </p>
        <HealthCounts counts={row.counts} />
      </div>
      <div className="min-w-0">
        {row.worstDomains.length > 0 ? (
          <ul aria-label={`Worst domains of ${row.name}`} className="space-y-1.5">
            {row.worstDomains.map((d) => (
              <li key={d.host} className="min-w-0 text-sm">
                <Link
                  href={hrefs.domain(d.host, d.topFinding ? focusOf(d.topFinding.link) : undefined)}
                  className="group block min-w-0 rounded-md px-2 py-1 hover:bg-zinc-100 dark:hover:bg-zinc-800"
                >
                  <span className="flex min-w-0 items-center gap-2">
                    <HealthBadge health={d.health} size="sm" />
                    <span className="font-medium break-all group-hover:underline">{d.host}</span>
                  </span>
                  {d.topFinding ? (
                    <span className="mt-0.5 line-clamp-2 block text-xs text-zinc-700 dark:text-zinc-300">
                      <code className="font-semibold">{d.topFinding.code}</code> · {d.topFinding.message}
                    </span>
                  ) : null}
                </Link>
              </li>
            ))}
            {unhealthy > row.worstDomains.length ? (
              <li className="px-2 text-xs">
                <Link href={hrefs.namespace(row.name)} className="text-blue-700 hover:underline dark:text-blue-400">
                  and {unhealthy - row.worstDomains.length} more unhealthy domain{unhealthy - row.worstDomains.length === 1 ? '' : 's'} in {row.name} →
                </Link>
              </li>
            ) : null}
          </ul>
        ) : nsFindings.length > 0 ? (
          <ul aria-label={`Findings of ${row.name}`} className="space-y-1.5 text-sm">
            {nsFindings.map((f, i) => (
              <li key={`${f.code}-${i}`}>
                <FindingLine finding={f} />
              </li>
            ))}
          </ul>
        ) : (
          <p className="flex items-center gap-1.5 text-sm text-zinc-600 dark:text-zinc-400">All domains healthy.</p>
        )}
      </div>
    </li>
  );
}
