'use client';
/**
 * Renders a laid-out chain (layout.ts) as SVG: one `<g>` per node and one `<path>` per edge, keyed by the
 * stable ids, so a refresh with new data updates elements in place instead of redrawing the picture.
 * Nodes are buttons (Enter/Space) labelled with kind, name and health; the broken link is drawn thicker
 * and dashed with a "BROKEN" tag, and its accessible name says so - never colour alone.
 *
 * Keyboard: the drawing is one Tab stop with a roving tabindex (only one node has tabIndex 0); the arrow
 * keys, Home and End move between the nodes along the layout (navigation.ts), Escape closes the details.
 * The container stays a labelled `group` of toggle buttons: the composite roles with two-dimensional arrow
 * keys need children the diagram cannot honestly have (`grid` needs rows of cells, `tree` treeitems with
 * one parent each, while a Service two routes reach has two) and `toolbar` is one-dimensional; so the
 * nodes keep their button semantics (aria-pressed, aria-expanded) and the group is described by the
 * visible instruction (`describedBy`). Screen-reader users in browse mode still meet every node in order.
 */
import { useRef, useState, type KeyboardEvent } from 'react';
import type { Health, LinkHealth } from '../../lib/model/chain';
import { severityHealth } from '../../lib/model/health';
import { healthGlyph } from '../ui/health';
import { detailFontSize, edgeAriaLabel, HOST_LINE_MAX, nameFontSize, nodeAriaLabel, nodeButtonLabel, nodeCaption, wrapHost } from './labels';
import { HOST_LINE_HEIGHT, type ChainLayout, type PlacedEdge, type PlacedNode } from './layout';
import { indexById } from './lookup';
import { initialNodeId, nextNodeId } from './navigation';

const STROKE: Record<LinkHealth, string> = {
  healthy: 'stroke-healthy',
  degraded: 'stroke-degraded',
  down: 'stroke-down',
  unknown: 'stroke-unknown',
  'not-checked': 'stroke-unchecked',
};
const FILL: Record<LinkHealth, string> = {
  healthy: 'fill-healthy',
  degraded: 'fill-degraded',
  down: 'fill-down',
  unknown: 'fill-unknown',
  'not-checked': 'fill-unchecked',
};
const TEXT: Record<LinkHealth, string> = {
  healthy: 'text-healthy',
  degraded: 'text-degraded',
  down: 'text-down',
  unknown: 'text-unknown',
  'not-checked': 'text-unchecked',
};
const HEALTHS: Health[] = ['healthy', 'degraded', 'down', 'unknown'];

/** Props of {@link ChainDiagram}. */
export interface ChainDiagramProps {
  layout: ChainLayout;
  /** Accessible name of the whole drawing. */
  label: string;
  selectedId?: string;
  /** Id of the element that tells how to use the diagram from the keyboard. */
  describedBy?: string;
  /** A node was activated by a click or tap (`pointer`) or by Enter/Space (`keyboard`). */
  onSelect: (id: string, how: 'pointer' | 'keyboard') => void;
  /** A group node of a collapsed Service was activated: show that group's endpoints and Pods. */
  onExpand: (groupId: string, serviceId: string) => void;
  /** Escape on a node while one is selected: close its details. */
  onClose?: () => void;
}

/** The chain diagram. Sized to its container up to 1:1, never below 3/4 scale (the container scrolls). */
export function ChainDiagram({ layout, label, selectedId, describedBy, onSelect, onExpand, onClose }: ChainDiagramProps) {
  const byId = indexById(layout.nodes);
  const svgRef = useRef<SVGSVGElement>(null);

  // The roving Tab stop: the node the user last focused, until a new selection (a click, "Show in
  // diagram", a pasted ?focus=) moves it there. Adjusted while rendering, not in an effect, so the
  // first paint after a selection already has the right tabIndex.
  const [active, setActive] = useState<string | undefined>(undefined);
  const [lastSelected, setLastSelected] = useState(selectedId);
  if (selectedId !== lastSelected) {
    setLastSelected(selectedId);
    if (selectedId) setActive(selectedId);
  }
  // A node a refresh or a collapse took away hands the Tab stop back to the start: Tab must always find one.
  const tabStop = active && byId.has(active) ? active : initialNodeId(layout, selectedId);

  const activate = (n: PlacedNode, how: 'pointer' | 'keyboard') => {
    if (n.data.kind === 'endpoint-group') onExpand(n.id, n.data.service.id);
    else onSelect(n.id, how);
  };
  const onKey = (e: KeyboardEvent<SVGGElement>, n: PlacedNode) => {
    if (e.key === 'Enter' || e.key === ' ' || e.key === 'Spacebar') {
      e.preventDefault();
      activate(n, 'keyboard');
      return;
    }
    if (e.key === 'Escape') {
      if (selectedId && onClose) {
        e.preventDefault();
        onClose();
      }
      return;
    }
    // With a modifier the key is the browser's (Alt+Left goes back) or the screen reader's.
    if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    const next = nextNodeId(layout, n.id, e.key);
    if (next === undefined) return;
    // Handled even when the focus stays (an end of the diagram): the arrow must not scroll the page instead.
    e.preventDefault();
    if (next === n.id) return;
    setActive(next);
    // focus() scrolls the node into view, in the diagram's sideways scroller as in the page.
    svgRef.current?.querySelector<SVGGElement>(`[data-node-id="${CSS.escape(next)}"]`)?.focus();
  };
  // Broken edges are drawn last so nothing covers them.
  const edges = [...layout.edges].sort((a, b) => Number(Boolean(a.mark)) - Number(Boolean(b.mark)));
  return (
    <svg
      ref={svgRef}
      role="group"
      aria-label={label}
      aria-describedby={describedBy}
      viewBox={`0 0 ${layout.width} ${layout.height}`}
      width={layout.width}
      height={layout.height}
      style={{ width: '100%', minWidth: Math.round(layout.width * 0.75), maxWidth: layout.width, height: 'auto' }}
      className="block select-none"
    >
      <defs>
        {HEALTHS.map((h) => (
          <marker key={h} id={`arrow-${h}`} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0 0L10 5L0 10z" className={FILL[h]} />
          </marker>
        ))}
      </defs>
      <g aria-hidden="true">
        {layout.columns.map((c) => (
          <text key={c.layer} x={c.x} y={layout.columns.length ? 24 : 0} fontSize="11" fontWeight="600" letterSpacing="0.06em" style={{ fill: 'var(--diagram-muted)' }}>
            {c.title.toUpperCase()}
          </text>
        ))}
        {layout.bands.map((b) => (
          <text key={b.title} x={b.x} y={b.y} fontSize="11" fontWeight="600" letterSpacing="0.06em" style={{ fill: 'var(--diagram-muted)' }}>
            {b.title.toUpperCase()}
          </text>
        ))}
      </g>
      <g>
        {edges.map((e) => (
          <Edge key={e.id} edge={e} label={edgeAriaLabel(e, byId.get(e.from), byId.get(e.to))} />
        ))}
      </g>
      <g>
        {layout.nodes.map((n) => (
          <Node
            key={n.id}
            node={n}
            selected={n.id === selectedId}
            tabStop={n.id === tabStop}
            onActivate={() => activate(n, 'pointer')}
            onKey={(e) => onKey(e, n)}
            onFocus={() => setActive(n.id)}
          />
        ))}
      </g>
    </svg>
  );
}

function Edge({ edge, label }: { edge: PlacedEdge; label: string }) {
  const broken = Boolean(edge.mark);
  const dash = broken ? '8 5' : edge.kind === 'no-endpoint' ? '2 4' : edge.kind === 'attach' ? '3 3' : edge.kind === 'step' ? '6 3' : undefined;
  const width = broken ? (edge.mark === 'critical' ? 4 : 3) : edge.kind === 'attach' ? 1.25 : 1.75;
  const healthy = edge.health === 'healthy' && !broken;
  // A broken edge takes the colour of its mark, any other the colour of its health.
  const markerHealth: LinkHealth = broken ? severityHealth(edge.mark) : edge.health;
  const stroke = STROKE[markerHealth];
  const a11y = broken
    ? { role: 'img', 'aria-label': label, 'data-broken': edge.mark }
    : { 'aria-hidden': true as const };
  return (
    <g {...a11y} data-edge-id={edge.id}>
      <path
        d={edge.path}
        fill="none"
        className={`${stroke} ${broken ? 'chain-broken' : ''}`}
        strokeWidth={width}
        strokeDasharray={dash}
        strokeOpacity={healthy ? 0.55 : 1}
        markerEnd={edge.kind === 'attach' ? undefined : `url(#arrow-${markerHealth})`}
      />
      {broken ? (
        <g transform={`translate(${edge.mid.x} ${edge.mid.y})`}>
          <circle r="11" style={{ fill: 'var(--diagram-node)' }} className={stroke} strokeWidth="2.5" />
          <path d="M-4.5 -4.5L4.5 4.5M4.5 -4.5L-4.5 4.5" className={stroke} strokeWidth="2.5" strokeLinecap="round" />
          <text y="-16" textAnchor="middle" fontSize="10" fontWeight="800" letterSpacing="0.05em" className={FILL[markerHealth]}>
            BROKEN
          </text>
        </g>
      ) : null}
    </g>
  );
}

function Node({
  node: n,
  selected,
  tabStop,
  onActivate,
  onKey,
  onFocus,
}: {
  node: PlacedNode;
  selected: boolean;
  /** The diagram's one Tab stop; the other nodes are reached with the arrow keys (tabIndex -1). */
  tabStop: boolean;
  onActivate: () => void;
  onKey: (e: KeyboardEvent<SVGGElement>) => void;
  /** Focused by a click, Tab or the page: the Tab stop moves here, so Tab out and back returns to it. */
  onFocus: () => void;
}) {
  const group = n.data.kind === 'endpoint-group';
  const glyph = healthGlyph(n.missing ? 'down' : n.health);
  const tone = n.missing ? 'down' : n.health;
  const markTone = severityHealth(n.mark);
  const stroke = n.mark ? STROKE[markTone] : STROKE[tone];
  const strokeWidth = n.mark === 'critical' ? 3.5 : n.mark ? 2.5 : 1.5;
  // A node nothing verified is dashed like a missing one: its state is not known to be good.
  const dash = n.mark ? '7 4' : n.missing || n.health === 'not-checked' ? '4 3' : undefined;
  const caption = nodeCaption(n);
  // The domain prints its whole host over as many lines as it needs (layout.ts makes its box that tall).
  const nameLines = n.kind === 'domain' ? wrapHost(n.name, HOST_LINE_MAX) : [caption.name];
  const label = nodeButtonLabel(n);
  const a11y = group ? { 'aria-expanded': false, 'aria-label': label } : { 'aria-pressed': selected, 'aria-label': label };
  return (
    <g
      role="button"
      tabIndex={tabStop ? 0 : -1}
      {...a11y}
      data-node-id={n.id}
      data-health={n.health}
      data-broken={n.mark}
      data-kind={n.kind}
      data-stuck={n.data.kind === 'acme' && n.data.stuck ? 'true' : undefined}
      className="chain-node cursor-pointer motion-safe:transition-transform motion-safe:duration-200"
      style={{ transform: `translate(${n.x}px, ${n.y}px)` }}
      onClick={onActivate}
      onKeyDown={onKey}
      onFocus={onFocus}
    >
      <title>{nodeAriaLabel(n)}</title>
      {selected ? (
        <rect x={-5} y={-5} width={n.width + 10} height={n.height + 10} rx={9} fill="none" strokeWidth={2.5} style={{ stroke: 'var(--color-focus)' }} />
      ) : null}
      <rect
        className={`chain-node-box ${stroke} ${n.mark ? 'chain-broken' : ''}`}
        width={n.width}
        height={n.height}
        rx={6}
        strokeWidth={strokeWidth}
        strokeDasharray={dash}
        style={{ fill: 'var(--diagram-node)' }}
      />
      <rect width={5} height={n.height} rx={2} className={FILL[tone]} />
      <g transform="translate(11 6)" className={TEXT[tone]}>
        <path d={glyph.shape} fill="currentColor" fillOpacity="0.18" stroke="currentColor" strokeWidth="1.3" strokeLinejoin="round" />
        <path d={glyph.mark} fill="none" stroke="currentColor" strokeWidth="1.7" strokeLinecap="round" strokeLinejoin="round" />
      </g>
      <text x={32} y={17} fontSize="9.5" fontWeight="600" letterSpacing="0.05em" style={{ fill: 'var(--diagram-muted)' }}>
        {caption.kind}
      </text>
      <text x={11} y={34} fontSize={n.kind === 'domain' ? 12.5 : nameFontSize(caption.name)} fontWeight="600" style={{ fill: 'var(--diagram-text)' }}>
        {nameLines.map((line, i) => (
          <tspan key={i} x={11} dy={i === 0 ? 0 : HOST_LINE_HEIGHT}>
            {line}
          </tspan>
        ))}
      </text>
      <text x={11} y={48 + (nameLines.length - 1) * HOST_LINE_HEIGHT} fontSize={detailFontSize(caption.detail)} style={{ fill: 'var(--diagram-muted)' }}>
        {caption.detail}
      </text>
      {group ? (
        <text x={n.width - 10} y={17} fontSize="10" fontWeight="700" textAnchor="end" className={FILL.unknown}>
          SHOW ▸
        </text>
      ) : null}
      {!n.mark && n.data.kind === 'acme' && n.data.stuck ? (
        <g transform={`translate(${n.width - 64} -9)`} data-stuck="true">
          <rect width={60} height={17} rx={8.5} className={FILL[n.health === 'down' ? 'down' : 'degraded']} />
          <text x={30} y={12.5} fontSize="9.5" fontWeight="800" textAnchor="middle" letterSpacing="0.06em" style={{ fill: 'var(--diagram-on-mark)' }}>
            STUCK
          </text>
        </g>
      ) : null}
      {n.mark ? (
        <g transform={`translate(${n.width - 64} -9)`}>
          <rect width={60} height={17} rx={8.5} className={FILL[markTone]} />
          <text x={30} y={12.5} fontSize="9.5" fontWeight="800" textAnchor="middle" letterSpacing="0.06em" style={{ fill: 'var(--diagram-on-mark)' }}>
            {n.mark === 'critical' ? 'BROKEN' : 'WARNING'}
          </text>
        </g>
      ) : null}
    </g>
  );
}
