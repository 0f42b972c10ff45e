'use client';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useSWRConfig } from 'swr';
import type { ClusterSync, ClusterTotals, DomainListRow, DomainRow, DomainSort, DomainsResponse, OverviewResponse, OverviewRow } from '../../lib/api/types';
import { HEALTH_ORDER, type Health } from '../../lib/model/chain';
import { fetchJson } from '../data/fetcher';
import { DOMAINS_PAGE_SIZE, focusOf, hrefs, keys, OVERVIEW_PAGE_SIZE, type OverviewMode, type OverviewQuery } from '../data/keys';
import { useDomains } from '../data/use-domains';
import { useOverview } from '../data/use-overview';
import { LiveBanners, LiveLine } from '../live/live-bar';
import { FindingLine } from '../ui/finding';
import { HealthBadge, HealthCounts, HEALTH_TEXT } from '../ui/health';
import { isSearchShortcut, OPEN_PARAM, singleMatchHref } from './url-state';
import { HistoryBriefsNotice, HostHistoryInline, NamespaceUptimeInline } from '../history/briefs-context';
import { ClusterChip } from '../ui/cluster';
import { ClusterBanner, ClusterSyncLine, withoutClusterStaleness } from '../live/cluster-sync';

/** The server-rendered first answer, for the view the URL names. */
export type OverviewInitial = { view: 'environments'; data: OverviewResponse } | { view: 'domains'; data: DomainsResponse };

const SORT_TEXT: Record<DomainSort, string> = { health: 'Health, worst first', name: 'Name', environment: 'Environment' };
const SORT_LINE: Record<DomainSort, string> = { health: 'worst first', name: 'by name', environment: 'by environment, worst first' };

const FIELD_CLASS = 'mt-1 rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm dark:border-zinc-600 dark:bg-zinc-900';
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The overview: every client environment worst first, or every domain (`?view=domains`), with text and
 * health filters and the domains' order kept in the URL (a filtered view is a link) and server-side
 * paging, so thousands of domains stay instant. Enter in the search opens the one match the filter
 * leaves; `/` anywhere outside a text field goes to the search. The form is a plain GET form and the
 * view switch plain links, so both work before hydration.
 */
export function OverviewView({ initialQuery, initial }: { initialQuery: OverviewQuery; initial: OverviewInitial }) {
  // The view is fixed for the life of this component: the page keys it by view, and switching is a
  // navigation the server renders, so the first paint of either view carries its data.
  const mode: OverviewMode = initial.view;
  const router = useRouter();
  const { mutate } = useSWRConfig();
  const [text, setText] = useState(initialQuery.q ?? '');
  const [query, setQuery] = useState<OverviewQuery>(initialQuery);
  const envs = useOverview(mode === 'environments' ? query : null, initial.view === 'environments' ? { query: initialQuery, data: initial.data } : undefined);
  const doms = useDomains(mode === 'domains' ? query : null, initial.view === 'domains' ? { query: initialQuery, data: initial.data } : undefined);
  const live = mode === 'domains' ? doms : envs;
  const envView = envs.data ?? (initial.view === 'environments' ? initial.data : undefined);
  const domView = doms.data ?? (initial.view === 'domains' ? initial.data : undefined);
  const view = (mode === 'domains' ? domView : envView)!;
  // Several clusters: each has its own sync, so staleness is shown per cluster (a section each in the
  // environment view, a banner each over the domain list), never as the whole page's.
  const clusterSyncs = view.sync.clusters ?? [];
  const multi = clusterSyncs.length > 1;
  const pageSync = multi ? withoutClusterStaleness(view.sync) : view.sync;

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

  // `/` focuses the search from anywhere on the page, as on GitHub or MDN; typed into a field it stays a `/`.
  const searchRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || !isSearchShortcut(e)) return;
      e.preventDefault();
      searchRef.current?.focus();
      searchRef.current?.select();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  /**
   * Enter applies the typed text at once (no pause) and, when the answer leaves one match, opens it. The
   * answer is fetched for exactly the submitted query and put in SWR's cache, so the list shows it too.
   */
  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const next: OverviewQuery = { ...query, q: text.trim() || undefined, offset: 0 };
    setQuery(next);
    try {
      let href: string | undefined;
      if (mode === 'domains') {
        const key = keys.domains(next);
        const data = await mutate(key, fetchJson<DomainsResponse>(key), { revalidate: false });
        href = data && singleMatchHref({ view: 'domains', data });
      } else {
        const key = keys.overview(next);
        const data = await mutate(key, fetchJson<OverviewResponse>(key), { revalidate: false });
        href = data && singleMatchHref({ view: 'environments', data });
      }
      if (href) router.push(href);
    } catch {
      // The list's own refresh reports the error in its banner.
    }
  }

  const searchId = useId();
  const healthId = useId();
  const sortId = useId();
  const hintId = useId();
  const offset = query.offset ?? 0;
  const typed = { ...query, q: text.trim() || undefined, offset: undefined };
  const switchTo = (v: OverviewMode) => hrefs.overview({ ...typed, view: v === 'domains' ? 'domains' : undefined, sort: v === 'domains' ? query.sort : undefined });

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-bold tracking-tight">{mode === 'domains' ? 'Domains' : 'Client environments'}</h1>
          <Totals view={envView} domains={domView} />
          <HistoryBriefsNotice className="mt-1" />
        </div>
        <LiveLine sync={view.sync} updatedAt={live.updatedAt} error={live.error} isValidating={live.isValidating} />
      </div>
      <LiveBanners sync={pageSync} updatedAt={live.updatedAt} error={live.error} isValidating={live.isValidating} />
      {multi && mode === 'domains' ? (
        <div className="space-y-2 empty:hidden">
          {clusterSyncs.map((c) => (
            <ClusterBanner key={c.name} sync={c} />
          ))}
        </div>
      ) : null}

      <nav aria-label="Overview views" className="flex">
        <ul className="inline-flex rounded-md border border-zinc-300 p-0.5 text-sm dark:border-zinc-600">
          {(['environments', 'domains'] as const).map((v) => (
            <li key={v}>
              <Link
                href={switchTo(v)}
                aria-current={v === mode ? 'page' : undefined}
                className={`block rounded px-3 py-1 font-medium ${
                  v === mode ? 'bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900' : 'text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800'
                }`}
              >
                {v === 'domains' ? 'Domains' : 'Environments'}
              </Link>
            </li>
          ))}
        </ul>
      </nav>

      <form
        role="search"
        aria-label={mode === 'domains' ? 'Filter domains' : 'Filter environments'}
        method="get"
        action="/"
        className="flex flex-wrap items-end gap-3"
        onSubmit={onSubmit}
      >
        {mode === 'domains' ? <input type="hidden" name="view" value="domains" /> : null}
        <input type="hidden" name={OPEN_PARAM} value="1" />
        <div className="min-w-0 flex-1 basis-56">
          <label htmlFor={searchId} className="block text-sm font-medium">
            {mode === 'domains' ? 'Domain or environment' : 'Environment or domain'}
          </label>
          <input
            ref={searchRef}
            id={searchId}
            name="q"
            type="search"
            value={text}
            onChange={(e) => setText(e.target.value)}
            maxLength={200}
            placeholder="e.g. acme or checkout.acme.junovy.com"
            autoComplete="off"
            spellCheck={false}
            aria-keyshortcuts="/"
            aria-describedby={hintId}
            className={`${FIELD_CLASS} w-full`}
          />
          <p id={hintId} className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">
            Press <kbd className="rounded border border-zinc-300 px-1 font-mono dark:border-zinc-600">/</kbd> to search; Enter opens a single match.
          </p>
        </div>
        <div>
          <label htmlFor={healthId} className="block text-sm font-medium">
            Health
          </label>
          <select
            id={healthId}
            name="health"
            value={query.health ?? ''}
            onChange={(e) => setQuery((q) => ({ ...q, health: (e.target.value || undefined) as Health | undefined, offset: 0 }))}
            className={FIELD_CLASS}
          >
            {mode === 'domains' && domView ? (
              <>
                <option value="">All ({plural(HEALTH_ORDER.reduce((n, h) => n + domView.counts[h], 0), 'domain')})</option>
                {HEALTH_ORDER.map((h) => (
                  <option key={h} value={h}>
                    {HEALTH_TEXT[h]} ({plural(domView.counts[h], 'domain')})
                  </option>
                ))}
              </>
            ) : envView ? (
              <>
                <option value="">All ({plural(envView.totals.namespaces, 'environment')})</option>
                {HEALTH_ORDER.map((h) => (
                  <option key={h} value={h}>
                    {HEALTH_TEXT[h]} ({plural(envView.totals.namespaceHealth[h], 'environment')})
                  </option>
                ))}
              </>
            ) : null}
          </select>
        </div>
        {mode === 'domains' ? (
          <div>
            <label htmlFor={sortId} className="block text-sm font-medium">
              Sort by
            </label>
            <select
              id={sortId}
              name="sort"
              value={query.sort ?? 'health'}
              onChange={(e) => setQuery((q) => ({ ...q, sort: e.target.value === 'health' ? undefined : (e.target.value as DomainSort), offset: 0 }))}
              className={FIELD_CLASS}
            >
              {(Object.keys(SORT_TEXT) as DomainSort[]).map((s) => (
                <option key={s} value={s}>
                  {SORT_TEXT[s]}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <button type="submit" className="rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm font-medium hover:bg-zinc-100 dark:border-zinc-600 dark:bg-zinc-900 dark:hover:bg-zinc-800">
          Search
        </button>
      </form>

      {mode === 'domains' && domView ? (
        <>
          <ResultLine matched={domView.matched} offset={domView.offset} shown={domView.domains.length} word="domain" order={SORT_LINE[domView.sort]} />
          <ul aria-label="Domains" className="divide-y divide-zinc-200 rounded-lg border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900">
            {domView.domains.map((d) => (
              <DomainItem key={`${d.cluster}/${d.host}`} row={d} multi={multi} />
            ))}
          </ul>
          <Pager matched={domView.matched} offset={offset} limit={domView.limit || DOMAINS_PAGE_SIZE} setOffset={(o) => setQuery((q) => ({ ...q, offset: o }))} />
        </>
      ) : envView ? (
        <>
          <ResultLine matched={envView.matched} offset={envView.offset} shown={envView.namespaces.length} word="environment" order="worst first" />
          {multi ? (
            clusterSyncs.map((c) => (
              <ClusterSection
                key={c.name}
                sync={c}
                totals={envView.clusters.find((t) => t.name === c.name)}
                rows={envView.namespaces.filter((r) => r.cluster === c.name)}
                q={query.q}
                filtered={Boolean(query.q || query.health)}
                paged={envView.matched > envView.namespaces.length}
              />
            ))
          ) : (
            <ul aria-label="Environments" className="space-y-3">
              {envView.namespaces.map((row) => (
                <EnvironmentCard key={`${row.cluster}/${row.name}`} row={row} q={query.q} />
              ))}
            </ul>
          )}
          <Pager matched={envView.matched} offset={offset} limit={envView.limit || OVERVIEW_PAGE_SIZE} setOffset={(o) => setQuery((q) => ({ ...q, offset: o }))} />
        </>
      ) : null}
    </div>
  );
}

/** "7 environments · 42 domains: 3 down, 12 degraded, 27 healthy": the cluster at a glance, before filters. */
function Totals({ view, domains }: { view?: OverviewResponse; domains?: DomainsResponse }) {
  const health = view?.totals.domainHealth ?? domains?.totals.domainHealth;
  const count = view?.totals.domains ?? domains?.totals.domains ?? 0;
  if (!health) return null;
  return (
    <p className="mt-1 text-sm text-zinc-700 dark:text-zinc-300">
      {view ? `${plural(view.totals.namespaces, 'environment')} · ` : null}
      {plural(count, 'domain')}:{' '}
      {HEALTH_ORDER.filter((h) => health[h] > 0)
        .map((h) => `${health[h]} ${h}`)
        .join(', ') || 'none'}
    </p>
  );
}

function ResultLine({ matched, offset, shown, word, order }: { matched: number; offset: number; shown: number; word: string; order: string }) {
  return (
    <p className="text-sm text-zinc-600 dark:text-zinc-400" aria-live="polite">
      {matched === 0 ? `No ${word} matches the filter.` : `Showing ${matched === 0 ? 0 : offset + 1}–${offset + shown} of ${plural(matched, word)}, ${order}`}
    </p>
  );
}

/** Previous and next page, when the matches do not fit one page: the list stays bounded however many there are. */
function Pager({ matched, offset, limit, setOffset }: { matched: number; offset: number; limit: number; setOffset: (offset: number) => void }) {
  if (matched <= limit) return null;
  return (
    <nav aria-label="Pages" className="flex items-center justify-between gap-2">
      <button
        type="button"
        disabled={offset === 0}
        onClick={() => setOffset(Math.max(0, offset - limit))}
        className="rounded-md border border-zinc-300 px-3 py-1.5 text-sm disabled:opacity-40 dark:border-zinc-600"
      >
        ← Previous
      </button>
      <span className="text-sm">
        Page {Math.floor(offset / limit) + 1} of {Math.ceil(matched / limit)}
      </span>
      <button
        type="button"
        disabled={offset + limit >= matched}
        onClick={() => setOffset(offset + limit)}
        className="rounded-md border border-zinc-300 px-3 py-1.5 text-sm disabled:opacity-40 dark:border-zinc-600"
      >
        Next →
      </button>
    </nav>
  );
}

/**
 * One domain of the domain view: health, host (to its broken link), cluster (when there are several: a
 * host served by two clusters is a row in each), environment, top finding.
 */
function DomainItem({ row: d, multi }: { row: DomainListRow; multi: boolean }) {
  const problem = d.topFinding && d.topFinding.severity !== 'info' ? d.topFinding : undefined;
  return (
    <li
      className={`grid gap-1 px-3 py-2 md:items-start md:gap-4 ${
        multi ? 'md:grid-cols-[minmax(0,20rem)_minmax(0,7rem)_minmax(0,10rem)_1fr]' : 'md:grid-cols-[minmax(0,22rem)_minmax(0,10rem)_1fr]'
      }`}
    >
      <span className="flex min-w-0 items-center gap-2">
        <HealthBadge health={d.health} size="sm" />
        <Link href={hrefs.domain(d, problem ? focusOf(problem.link) : undefined)} className="min-w-0 text-sm font-medium [overflow-wrap:anywhere] hover:underline">
          {d.host}
        </Link>
      </span>
      {multi ? (
        <span className="min-w-0 truncate text-sm" data-testid="domain-cluster">
          <span className="sr-only">Cluster: </span>
          <ClusterChip cluster={d.cluster} />
        </span>
      ) : null}
      <span className="min-w-0 truncate text-sm">
        <span className="sr-only">Environment: </span>
        {d.namespaces.map((ns, i) => (
          <span key={ns}>
            {i > 0 ? ', ' : null}
            <Link href={hrefs.namespace({ cluster: d.cluster, name: ns })} className="text-zinc-700 hover:underline dark:text-zinc-300">
              {ns}
            </Link>
          </span>
        ))}
      </span>
      <span className="min-w-0 text-sm text-zinc-700 dark:text-zinc-300">
        {problem ? (
          <>
            <FindingLine finding={problem} />
            {d.findingCount > 1 ? <span className="ml-1 text-xs text-zinc-600 dark:text-zinc-400">(+{d.findingCount - 1} more)</span> : null}
          </>
        ) : d.health === 'healthy' ? (
          <span>{plural(d.routeCount, 'route')}, no problem found</span>
        ) : d.topFinding ? (
          <FindingLine finding={d.topFinding} />
        ) : (
          // Unknown without a finding: data is missing, which is never "no problem".
          <span>Not checked: the data for this chain is missing</span>
        )}
        <HostHistoryInline host={d.host} health={d.health} className="block" />
      </span>
    </li>
  );
}

/**
 * One cluster's part of the environment view, when Chainboard watches several: its name, totals and own
 * sync state (live, stale since when with its last good data, or why it has no data yet), then its
 * environments on this page. One cluster going stale marks only its own section.
 */
function ClusterSection({
  sync,
  totals,
  rows,
  q,
  filtered,
  paged,
}: {
  sync: ClusterSync;
  totals?: ClusterTotals;
  rows: OverviewRow[];
  q?: string;
  filtered: boolean;
  paged: boolean;
}) {
  const headingId = useId();
  return (
    <section aria-labelledby={headingId} data-cluster={sync.name} className="space-y-3 rounded-xl border border-zinc-300 bg-zinc-100/60 p-3 dark:border-zinc-700 dark:bg-zinc-900/40">
      <div className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1">
        <div className="min-w-0">
          <h2 id={headingId} className="text-lg font-bold tracking-tight">
            Cluster {sync.name}
          </h2>
          {totals ? (
            <p className="text-sm text-zinc-700 dark:text-zinc-300">
              {plural(totals.namespaces, 'environment')} · {plural(totals.domains, 'domain')}:{' '}
              {HEALTH_ORDER.filter((h) => totals.domainHealth[h] > 0)
                .map((h) => `${totals.domainHealth[h]} ${h}`)
                .join(', ') || 'none'}
            </p>
          ) : null}
        </div>
        <ClusterSyncLine sync={sync} />
      </div>
      <ClusterBanner sync={sync} />
      {rows.length > 0 ? (
        <ul aria-label={`Environments of cluster ${sync.name}`} className="space-y-3">
          {rows.map((row) => (
            <EnvironmentCard key={`${row.cluster}/${row.name}`} row={row} q={q} level={3} />
          ))}
        </ul>
      ) : (
        <p className="px-1 text-sm text-zinc-600 dark:text-zinc-400">
          {!totals && sync.notReadyReason
            ? 'No data from this cluster yet.'
            : paged
              ? 'No environment of this cluster on this page.'
              : filtered
                ? 'No environment of this cluster matches the filter.'
                : 'This cluster has no client environment.'}
        </p>
      )}
    </section>
  );
}

/** One environment: health, domain counts, and links straight to its worst domains' broken links. */
function EnvironmentCard({ row, q, level = 2 }: { row: OverviewRow; q?: string; level?: 2 | 3 }) {
  const Heading = level === 3 ? 'h3' : 'h2';
  const ref = { cluster: row.cluster, name: row.name };
  const headingId = useId();
  const matching = row.matchingDomains;
  const unhealthy = row.domainCount - row.counts.healthy;
  const nsFindings = row.worstDomains.length === 0 ? row.worstFindings.filter((f) => f.severity !== 'info').slice(0, 2) : [];
  return (
    <li
      aria-labelledby={headingId}
      className="grid gap-3 rounded-lg border border-zinc-200 bg-white p-4 md:grid-cols-[minmax(12rem,16rem)_1fr] dark:border-zinc-800 dark:bg-zinc-900"
    >
      <div className="min-w-0 space-y-2">
        <Heading className="flex flex-wrap items-center gap-2 text-lg font-semibold">
          <Link id={headingId} href={hrefs.namespace(ref)} className="truncate hover:underline">
            {row.name}
          </Link>
          <HealthBadge health={row.health} size="sm" />
        </Heading>
        <p className="text-sm text-zinc-700 dark:text-zinc-300">
          {row.domainCount} domain{row.domainCount === 1 ? '' : 's'}
          {row.forbidden ? <span className="ml-2 font-medium text-unknown">· some data forbidden</span> : null}
        </p>
        <HealthCounts counts={row.counts} />
        <NamespaceUptimeInline namespace={row.name} className="block" />
      </div>
      <div className="min-w-0">
        {matching ? (
          // Found by a host: show the hosts the search named, whatever their health.
          <ul aria-label={`Matching domains of ${row.name}`} className="space-y-1.5">
            {matching.domains.map((d) => (
              <li key={d.host} className="min-w-0 text-sm">
                <DomainLink row={d} cluster={row.cluster} />
              </li>
            ))}
            {matching.count > matching.domains.length ? (
              <li className="px-2 text-xs">
                <Link href={hrefs.overview({ view: 'domains', q })} className="text-blue-700 hover:underline dark:text-blue-400">
                  and {matching.count - matching.domains.length} more matching domain{matching.count - matching.domains.length === 1 ? '' : 's'} →
                </Link>
              </li>
            ) : null}
          </ul>
        ) : row.worstDomains.length > 0 ? (
          <ul aria-label={`Worst domains of ${row.name}`} className="space-y-1.5">
            {row.worstDomains.map((d) => (
              <li key={d.host} className="min-w-0 text-sm">
                <DomainLink row={d} cluster={row.cluster} />
              </li>
            ))}
            {unhealthy > row.worstDomains.length ? (
              <li className="px-2 text-xs">
                <Link href={hrefs.namespace(ref)} className="text-blue-700 hover:underline dark:text-blue-400">
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

/** A domain of an environment card: badge, host and its top finding, linked to the finding's place in the chain. */
function DomainLink({ row: d, cluster }: { row: DomainRow; cluster: string }) {
  const problem = d.topFinding && (d.health !== 'healthy' || d.topFinding.severity !== 'info') ? d.topFinding : undefined;
  return (
    <Link href={hrefs.domain({ cluster, host: d.host }, problem ? focusOf(problem.link) : undefined)} className="group block min-w-0 rounded-md px-2 py-1 hover:bg-zinc-100 dark:hover:bg-zinc-800">
      <span className="flex min-w-0 items-center gap-2">
        <HealthBadge health={d.health} size="sm" />
        <span className="font-medium break-all group-hover:underline">{d.host}</span>
      </span>
      <HostHistoryInline host={d.host} health={d.health} className="mt-0.5 block" />
      {problem ? (
        <span className="mt-0.5 line-clamp-2 block text-xs text-zinc-700 dark:text-zinc-300">
          <code className="font-semibold">{problem.code}</code> · {problem.message}
        </span>
      ) : null}
    </Link>
  );
}
