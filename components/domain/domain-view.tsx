'use client';
import { useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { DomainResponse } from '../../lib/api/types';
import type { Since } from '../../lib/history/types';
import { SinceText } from '../history/local-time';
import type { Finding, Health, LinkHealth } from '../../lib/model/chain';
import { uncheckedLinksText } from '../../lib/model/check';
import { ChainDiagram } from '../chain/chain-diagram';
import { buildGraph, groupId, layoutGraph, resolveNodeId, serviceContaining } from '../chain';
import { focusOf, hrefs } from '../data/keys';
import { useDomain } from '../data/use-domain';
import { LiveBanners, LiveLine } from '../live/live-bar';
import { EventList, GapsNotice } from '../ui/events';
import { CopyButton } from '../ui/copy-button';
import { ShareButton } from '../share/ShareButton';
import { HealthBadge, HealthIcon, HEALTH_TEXT } from '../ui/health';
import { Breadcrumbs, Section } from '../ui/page-header';
import { DetailsPanel } from './details-panel';
import { causesOf } from './causes';
import { FindingsList } from './findings';
import { SymptomAndCause } from './symptom-cause';
import { HttpDetails } from './http-panel';
import { DnsDetails, TlsDetails } from './tls-dns-panels';
import { AlsoServedBy } from './served-by';
import { ClusterChip } from '../ui/cluster';

/**
 * The domain page: what is broken (in words, first), the chain diagram with the broken link marked, the
 * details of the selected node, every finding by severity, the TLS and DNS state and the Warning events.
 * The selected node lives in the URL (`?focus=<node id>`) so a pasted link shows the same view.
 * `since` and `history` come from the page's read of history at render: the since-when shows only while
 * it agrees with the live health.
 */
export function DomainView({
  host,
  initial,
  sharing,
  since,
  history,
  multi,
}: {
  host: string;
  initial: DomainResponse;
  sharing?: boolean;
  since?: Since;
  history?: ReactNode;
  /** Chainboard watches several clusters: the page names the cluster of its chain. */
  multi?: boolean;
}) {
  // The chain is one cluster's: the server rendered it for the page's cluster, and the polls ask that one.
  const cluster = initial.domain.cluster;
  const { data, error, isValidating, updatedAt } = useDomain({ cluster, host }, initial);
  const view = data ?? initial;
  const domain = view.domain;
  const searchParams = useSearchParams();
  const focus = searchParams.get('focus') ?? undefined;

  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set());
  // A focused endpoint or Pod inside a collapsed Service opens that Service, so the link shows the node.
  const autoExpand = focus ? serviceContaining(domain, focus) : undefined;
  const effectiveExpanded = useMemo(() => (autoExpand && !expanded.has(autoExpand) ? new Set([...expanded, autoExpand]) : expanded), [expanded, autoExpand]);
  const graph = useMemo(() => buildGraph(domain, { expanded: effectiveExpanded, now: view.analyzedAt }), [domain, effectiveExpanded, view.analyzedAt]);
  const layout = useMemo(() => layoutGraph(graph), [graph]);
  const selectedId = focus ? resolveNodeId(graph, focus) : undefined;
  const selected = selectedId ? graph.nodes.find((n) => n.id === selectedId) : undefined;

  const [announce, setAnnounce] = useState('');
  const [pendingFocus, setPendingFocus] = useState<string | undefined>(undefined);
  const detailsRef = useRef<HTMLElement>(null);
  const scrollerRef = useRef<HTMLDivElement>(null);

  const select = useCallback(
    (id: string | undefined, how: 'pointer' | 'keyboard' | 'finding' = 'keyboard') => {
      window.history.replaceState(null, '', hrefs.domain({ cluster, host }, id));
      if (!id) {
        setAnnounce('Details closed');
        return;
      }
      const n = graph.nodes.find((x) => x.id === id);
      setAnnounce(n ? `Details of ${n.kindLabel} ${n.name} shown` : '');
      if (how === 'finding') setPendingFocus(id);
      // The details sit below the diagram: bring them into view for a click or tap (not for keyboard
      // users, whose focus stays on the node they are moving through).
      if (how === 'pointer') {
        requestAnimationFrame(() => {
          const panel = detailsRef.current;
          if (panel && panel.getBoundingClientRect().top > window.innerHeight - 160) panel.scrollIntoView({ behavior: 'smooth', block: 'start' });
        });
      }
    },
    [graph, host, cluster],
  );

  // After "Show in diagram", move keyboard focus to the node once it is rendered (it may have just expanded).
  useEffect(() => {
    if (!pendingFocus) return;
    const target = resolveNodeId(graph, pendingFocus);
    const el = target ? document.querySelector<SVGGElement>(`[data-node-id="${CSS.escape(target)}"]`) : null;
    if (el) {
      el.focus({ preventScroll: true });
      el.scrollIntoView({ behavior: 'smooth', block: 'center', inline: 'center' });
    }
    setPendingFocus(undefined);
  }, [pendingFocus, graph]);

  // A pasted link: scroll the diagram sideways (not the page) so the focused node is in view.
  const scrolledOnce = useRef(false);
  useEffect(() => {
    if (scrolledOnce.current || !selectedId) return;
    scrolledOnce.current = true;
    const box = scrollerRef.current;
    const el = box?.querySelector<SVGGElement>(`[data-node-id="${CSS.escape(selectedId)}"]`);
    if (!box || !el) return;
    const r = el.getBoundingClientRect();
    const b = box.getBoundingClientRect();
    if (r.right > b.right || r.left < b.left) box.scrollLeft += r.left - b.left - (b.width - r.width) / 2;
  }, [selectedId]);

  // Say it when the domain's health changes under a refresh.
  const lastHealth = useRef<Health>(domain.health);
  useEffect(() => {
    if (lastHealth.current !== domain.health) {
      setAnnounce(`${domain.host} is now ${HEALTH_TEXT[domain.health]}`);
      lastHealth.current = domain.health;
    }
  }, [domain.health, domain.host]);

  const findingTarget = useCallback((f: Finding) => resolveNodeId(graph, focusOf(f.link)) ?? (f.link.type === 'edge' ? resolveNodeId(graph, f.link.from) : undefined), [graph]);
  const showFinding = useCallback(
    (f: Finding) => {
      const id = f.link.type === 'node' ? f.link.id : findingTarget(f);
      if (id) select(id, 'finding');
    },
    [findingTarget, select],
  );

  const nodeFindings = useMemo(() => {
    if (!selected) return [];
    const fromEdges = graph.edges.filter((e) => e.from === selected.id || e.to === selected.id).flatMap((e) => e.findings);
    return [...new Set([...selected.findings, ...fromEdges])];
  }, [graph, selected]);

  const top = domain.findings.find((f) => f.severity !== 'info');
  const unchecked = uncheckedLinksText(domain);
  const topNodeId = top ? findingTarget(top) : undefined;
  const topCauses = top ? causesOf(top, domain.findings) : [];
  const nodeName = (id: string | undefined) => {
    const n = id ? graph.nodes.find((x) => x.id === id) : undefined;
    if (n?.kind === 'tls') return 'TLS certificate';
    if (n?.kind === 'dns') return 'DNS record';
    return n ? `${n.kindLabel} ${n.name}` : undefined;
  };
  // The broken link in words: the node, or both ends of the edge.
  const topWhere = !top
    ? undefined
    : top.link.type === 'edge'
      ? `${nodeName(resolveNodeId(graph, top.link.from)) ?? top.link.from} → ${nodeName(resolveNodeId(graph, top.link.to)) ?? top.link.to}`
      : (nodeName(topNodeId) ?? `${top.object.kind} ${top.object.name}`);
  const broken = graph.nodes.filter((n) => n.mark === 'critical').map((n) => `${n.kindLabel} ${n.name}`);
  const brokenEdges = graph.edges.filter((e) => e.mark === 'critical').length;
  const selectedService = selected?.data.kind === 'service' ? selected.data.service : undefined;
  // Collapsible back when the whole Service or one of its groups is open.
  const canCollapse =
    selectedService &&
    graph.collapsible.includes(selectedService.id) &&
    (!graph.collapsed.includes(selectedService.id) || [...effectiveExpanded].some((x) => x.startsWith(`${groupId(selectedService.id)}/`)));
  const canExpand = selectedService && graph.collapsed.includes(selectedService.id);

  const diagramLabel = `Chain of ${domain.host}: ${graph.nodes.length} nodes; ${
    broken.length || brokenEdges ? `broken: ${[...broken, ...(brokenEdges ? [`${brokenEdges} link${brokenEdges === 1 ? '' : 's'}`] : [])].join(', ')}` : 'no broken link'
  }`;

  return (
    <div className="space-y-4">
      <div>
        <Breadcrumbs items={[{ label: 'Environments', href: hrefs.overview() }, { label: domain.namespace, href: hrefs.namespace({ cluster, name: domain.namespace }) }, { label: domain.host }]} />
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div className="min-w-0">
            <h1 className="flex flex-wrap items-center gap-3 text-2xl font-bold tracking-tight">
              <span className="break-all">{domain.host}</span>
              <HealthBadge health={domain.health} size="lg" />
            </h1>
            <p className="mt-1 flex flex-wrap items-center gap-2 text-sm text-zinc-700 dark:text-zinc-300">
              {multi ? <ClusterChip cluster={cluster} /> : null}
              <span>
                {domain.routes.length} route{domain.routes.length === 1 ? '' : 's'} in {domain.namespaces.join(', ')}
              </span>
            </p>
            {since && since.state === domain.health ? <SinceText state={since.state} since={since.since} className="mt-1 block text-sm font-medium" /> : null}
          </div>
          <div className="flex flex-col items-start gap-2 sm:items-end">
            <div className="flex flex-wrap items-start gap-2" data-slot="domain-actions">
              <CopyButton text={() => window.location.href} label="Copy link" what="link to this view" />
              <ShareButton host={host} cluster={cluster} showCluster={multi} enabled={sharing} />
            </div>
            <LiveLine sync={view.sync} updatedAt={updatedAt} error={error} isValidating={isValidating} />
          </div>
        </div>
        <p className="sr-only" aria-live="polite">
          {announce}
        </p>
      </div>

      <LiveBanners
        sync={view.sync}
        updatedAt={updatedAt}
        error={error}
        isValidating={isValidating}
        gone={`No Ingress rule in a client environment${multi ? ` of cluster ${cluster}` : ''} serves ${domain.host} any more.`}
      />

      {view.servedBy && view.servedBy.length > 1 ? <AlsoServedBy host={domain.host} cluster={cluster} servedBy={view.servedBy} /> : null}

      <GapsNotice gaps={domain.gaps} />

      <section aria-labelledby="summary-h" className={`rounded-lg border p-4 ${top ? (top.severity === 'critical' ? 'border-down/60 bg-down/5' : 'border-degraded/60 bg-degraded/5') : 'border-healthy/50 bg-healthy/5'}`}>
        <h2 id="summary-h" className="flex flex-wrap items-center gap-2 text-base font-semibold">
          <HealthIcon health={domain.health} className="h-5 w-5" />
          {top ? (
            <>
              {top.severity === 'critical' ? 'Broken link' : 'Problem'}: {topWhere}
            </>
          ) : unchecked ? (
            `Every checked link is healthy; ${unchecked}`
          ) : (
            'Every link of this chain is healthy'
          )}
        </h2>
        {top ? (
          <div className="mt-2">
            <SymptomAndCause symptom={top} causes={topCauses} onShow={showFinding} canShow={(f) => findingTarget(f) !== undefined} />
          </div>
        ) : null}
      </section>

      <section aria-labelledby="chain-h" className="min-w-0 rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
          <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
            <h2 id="chain-h" className="text-base font-semibold">
              Chain
            </h2>
            <Legend />
          </div>
          <div ref={scrollerRef} className="-mx-1 overflow-x-auto px-1 pb-1">
            <ChainDiagram
              layout={layout}
              label={diagramLabel}
              selectedId={selectedId}
              describedBy="chain-keys"
              onSelect={(id, how) => select(id === selectedId ? undefined : id, how)}
              onClose={() => select(undefined)}
              onExpand={(gid, sid) => {
                setExpanded((s) => new Set([...s, gid]));
                select(sid, 'finding');
              }}
            />
          </div>
          {/* Visible, not sr-only: sighted keyboard users need to learn that Tab stops once in the diagram. */}
          <p id="chain-keys" className="mt-2 text-xs text-zinc-600 dark:text-zinc-400">
            Arrow keys move between nodes, Enter opens details, Escape closes them.
          </p>
          {graph.unplaced.length ? (
            <p className="mt-2 text-xs text-zinc-600 dark:text-zinc-400">
              {graph.unplaced.length} finding{graph.unplaced.length === 1 ? '' : 's'} concern objects outside this diagram; see Findings.
            </p>
          ) : null}
      </section>
      <aside ref={detailsRef} aria-labelledby="details-h" className="min-w-0 scroll-mt-4 rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
          <h2 id="details-h" className="mb-2 text-base font-semibold">
            Details
          </h2>
          <DetailsPanel
            domain={domain}
            node={selected}
            missingId={focus && !selected ? focus : undefined}
            findings={nodeFindings}
            onClose={() => select(undefined)}
            onExpand={canExpand && selectedService ? () => setExpanded((s) => new Set([...s, selectedService.id])) : undefined}
            onCollapse={
              canCollapse && selectedService
                ? () => {
                    setExpanded((s) => new Set([...s].filter((x) => x !== selectedService.id && !x.startsWith(`${groupId(selectedService.id)}/`))));
                    if (focus && serviceContaining(domain, focus) === selectedService.id) select(selectedService.id);
                  }
                : undefined
            }
          />
      </aside>

      {history}

      <Section id="findings" title={`Findings (${domain.findings.length})`}>
        <FindingsList findings={domain.findings} onShow={showFinding} placed={(f) => findingTarget(f) !== undefined} />
      </Section>

      <div className="grid gap-4 lg:grid-cols-2">
        <Section id="tls" title="TLS certificate">
          <TlsDetails tls={domain.tls} findings={domain.findings.filter((f) => f.link.type === 'node' && f.link.id === domain.tls.id)} />
        </Section>
        <Section id="dns" title="DNS">
          <DnsDetails dns={domain.dns} findings={domain.findings.filter((f) => f.link.type === 'node' && f.link.id === domain.dns.id)} />
        </Section>
      </div>

      <Section id="http" title="HTTP">
        <HttpDetails http={domain.http} findings={domain.findings.filter((f) => f.code.startsWith('http.'))} />
      </Section>

      <Section id="events" title={`Warning events (${domain.events.length})`}>
        <EventList events={domain.events} empty="No Warning events about the objects of this chain." />
      </Section>
    </div>
  );
}

/** What the diagram's marks mean, in words. */
function Legend() {
  const items: { h: LinkHealth; text: string }[] = [
    { h: 'healthy', text: 'healthy' },
    { h: 'degraded', text: 'degraded' },
    { h: 'down', text: 'down' },
    { h: 'unknown', text: 'unknown' },
    { h: 'not-checked', text: 'not checked' },
  ];
  return (
    <ul aria-label="Legend" className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-zinc-700 dark:text-zinc-300">
      {items.map((i) => (
        <li key={i.h} className="flex items-center gap-1">
          <HealthIcon health={i.h} />
          {i.text}
        </li>
      ))}
      <li className="flex items-center gap-1">
        <svg viewBox="0 0 28 10" aria-hidden="true" className="h-2.5 w-7">
          <path d="M1 5H27" className="stroke-down" strokeWidth="3" strokeDasharray="5 3" />
        </svg>
        <span>
          <strong>BROKEN</strong> = the broken link
        </span>
      </li>
    </ul>
  );
}

