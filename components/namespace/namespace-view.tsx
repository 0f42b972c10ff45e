'use client';
import Link from 'next/link';
import type { NamespaceResponse } from '../../lib/api/types';
import type { PodSummary } from '../../lib/model/chain';
import { focusOf, hrefs } from '../data/keys';
import { useNamespace } from '../data/use-namespace';
import { LiveBanners, LiveLine } from '../live/live-bar';
import { FindingLine, FindingObjects, HintBlock } from '../ui/finding';
import { HealthBadge, HealthCounts, HealthIcon } from '../ui/health';
import { Breadcrumbs, Section } from '../ui/page-header';
import { EventList, GapsNotice } from '../ui/events';
import { HistoryBriefsNotice, HostHistoryInline, NamespaceUptimeInline } from '../history/briefs-context';
import { ClusterChip } from '../ui/cluster';

/**
 * One client environment of one cluster: its domains with health and top finding, then what the domains
 * do not show - Services no Ingress reaches, unhealthy Pods, Warning events, data Chainboard could not
 * read. `multi`: Chainboard watches several clusters, so the page names its own and the others that have
 * an environment of the same name.
 */
export function NamespaceView({ cluster, name, initial, multi }: { cluster: string; name: string; initial: NamespaceResponse; multi?: boolean }) {
  const { data, error, isValidating, updatedAt } = useNamespace({ cluster, name }, initial);
  const view = data ?? initial;
  const ns = view.namespace;
  const others = view.otherClusters ?? [];
  return (
    <div className="space-y-4">
      <div>
        <Breadcrumbs items={[{ label: 'Environments', href: hrefs.overview() }, { label: ns.name }]} />
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div className="min-w-0">
            <h1 className="flex flex-wrap items-center gap-3 text-2xl font-bold tracking-tight">
              <span className="break-all">{ns.name}</span>
              <HealthBadge health={ns.health} size="lg" />
            </h1>
            <p className="mt-1 flex flex-wrap items-center gap-2 text-sm text-zinc-700 dark:text-zinc-300">
              {multi ? <ClusterChip cluster={view.cluster} /> : null}
              <span>
                {ns.domainCount} domain{ns.domainCount === 1 ? '' : 's'}
              </span>
            </p>
            <HealthCounts counts={ns.counts} className="mt-2" />
            <NamespaceUptimeInline namespace={ns.name} className="mt-1 block" />
            <HistoryBriefsNotice className="mt-1" />
            {others.length ? (
              <p className="mt-1 text-sm">
                Also an environment of{' '}
                {others.map((c, i) => (
                  <span key={c}>
                    {i > 0 ? ', ' : null}
                    <Link href={hrefs.namespace({ cluster: c, name: ns.name })} className="font-medium text-blue-700 hover:underline dark:text-blue-400">
                      cluster {c}
                    </Link>
                  </span>
                ))}
              </p>
            ) : null}
          </div>
          <LiveLine sync={view.sync} updatedAt={updatedAt} error={error} isValidating={isValidating} />
        </div>
      </div>
      <LiveBanners
        sync={view.sync}
        updatedAt={updatedAt}
        error={error}
        isValidating={isValidating}
        gone={`Namespace ${ns.name} is no longer a client environment Chainboard sees${multi ? ` in cluster ${view.cluster}` : ''}.`}
      />

      <GapsNotice gaps={ns.gaps} />

      <Section id="domains" title={`Domains (${view.domains.length})`}>
        {view.domains.length === 0 ? (
          <p className="text-sm">No Ingress rule in this namespace names a host.</p>
        ) : (
          <ul className="divide-y divide-zinc-200 dark:divide-zinc-800">
            {view.domains.map((d) => (
              <li key={d.host} className="py-2">
                <div className="grid gap-1 md:grid-cols-[minmax(0,24rem)_1fr] md:gap-4">
                  <div className="flex min-w-0 items-center gap-2">
                    <HealthBadge health={d.health} size="sm" />
                    <Link
                      href={hrefs.domain({ cluster: view.cluster, host: d.host }, d.topFinding && d.topFinding.severity !== 'info' ? focusOf(d.topFinding.link) : undefined)}
                      className="min-w-0 text-sm font-medium [overflow-wrap:anywhere] hover:underline"
                    >
                      {d.host}
                    </Link>
                  </div>
                  <div className="min-w-0 flex-1 text-sm text-zinc-700 dark:text-zinc-300">
                    <HostHistoryInline host={d.host} health={d.health} className="block" />
                    {d.topFinding && d.topFinding.severity !== 'info' ? (
                      <FindingLine finding={d.topFinding} />
                    ) : (
                      <span>
                        {d.routeCount} route{d.routeCount === 1 ? '' : 's'}, no problem found
                      </span>
                    )}
                    {d.findingCount > 1 && d.topFinding?.severity !== 'info' ? (
                      <span className="ml-1 text-xs text-zinc-500 dark:text-zinc-400">
                        (+{d.findingCount - 1} more finding{d.findingCount === 2 ? '' : 's'})
                      </span>
                    ) : null}
                  </div>
                </div>
              </li>
            ))}
          </ul>
        )}
      </Section>

      {ns.findings.length > 0 ? (
        <Section id="ns-findings" title="Findings outside any domain">
          {/* Identical findings as one entry (the API's findingGroups): the count, the objects, the first one's hint. */}
          <ul className="space-y-3">
            {ns.findingGroups.map((g) => (
              <li key={g.key} className="text-sm">
                <FindingLine finding={g} count={g.count} />
                {g.count > 1 ? <FindingObjects findings={g.members.map((i) => ns.findings[i]!)} /> : null}
                <HintBlock hint={g.hint} caption={g.count > 1 ? `Next step, for the first (${g.objects[0]!.kind} ${g.objects[0]!.name}):` : undefined} />
              </li>
            ))}
          </ul>
        </Section>
      ) : null}

      <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_minmax(0,2fr)]">
        <Section id="unreachable" title={`Services no Ingress reaches (${ns.unreachableServices.length})`}>
          {ns.unreachableServices.length === 0 ? (
            <p className="text-sm text-zinc-600 dark:text-zinc-400">Every Service is behind an Ingress route.</p>
          ) : (
            <>
              <p className="mb-2 text-sm text-zinc-600 dark:text-zinc-400">Internal Services are fine here; a public one listed here has lost its route.</p>
              <ul className="flex flex-wrap gap-2">
                {ns.unreachableServices.map((s) => (
                  <li key={s}>
                    <code className="rounded bg-zinc-100 px-1.5 py-0.5 text-xs dark:bg-zinc-800">{s}</code>
                  </li>
                ))}
              </ul>
            </>
          )}
        </Section>
        <Section id="pods" title={`Unhealthy Pods (${ns.unhealthyPods.length})`}>
          {ns.unhealthyPods.length === 0 ? <p className="text-sm text-zinc-600 dark:text-zinc-400">All Pods are ready.</p> : <PodTable pods={ns.unhealthyPods} />}
        </Section>
      </div>

      <Section id="events" title={`Warning events (${ns.warningEvents.length})`}>
        <EventList events={ns.warningEvents} empty="No Warning events in this namespace." />
      </Section>
    </div>
  );
}

const podState = (p: PodSummary) => `${p.deleting ? 'Terminating' : (p.reason ?? p.phase)}${p.ready ? '' : ', not ready'}`;

/**
 * The unhealthy Pods: a table where there is room, a list on a narrow screen, where four columns would
 * leave the name a few characters a line.
 */
function PodTable({ pods }: { pods: PodSummary[] }) {
  return (
    <div>
      <ul className="divide-y divide-zinc-100 text-sm sm:hidden dark:divide-zinc-800" aria-label="Unhealthy Pods">
        {pods.map((p) => (
          <li key={p.id} className="py-1.5">
            <div className="font-mono text-xs break-all">{p.name}</div>
            <div className="mt-0.5 flex flex-wrap items-center gap-x-3 gap-y-0.5 text-xs text-zinc-600 dark:text-zinc-400">
              <span className="inline-flex items-center gap-1 text-zinc-900 dark:text-zinc-100">
                <HealthIcon health={p.health} />
                {podState(p)}
              </span>
              <span className="tabular-nums">{p.restarts} restarts</span>
              <span>node {p.nodeName ?? '-'}</span>
            </div>
          </li>
        ))}
      </ul>
      <table className="hidden w-full text-left text-sm sm:table">
        <thead className="text-xs text-zinc-500 dark:text-zinc-400">
          <tr>
            <th scope="col" className="py-1 pr-3 font-medium">
              Pod
            </th>
            <th scope="col" className="py-1 pr-3 font-medium">
              State
            </th>
            <th scope="col" className="py-1 pr-3 text-right font-medium">
              Restarts
            </th>
            <th scope="col" className="py-1 font-medium">
              Node
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {pods.map((p) => (
            <tr key={p.id}>
              <td className="py-1.5 pr-3 font-mono text-xs break-all">{p.name}</td>
              <td className="py-1.5 pr-3">
                <span className="inline-flex items-center gap-1">
                  <HealthIcon health={p.health} />
                  {podState(p)}
                </span>
              </td>
              <td className="py-1.5 pr-3 text-right tabular-nums">{p.restarts}</td>
              <td className="py-1.5 text-xs">{p.nodeName ?? '-'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
