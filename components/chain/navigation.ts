/**
 * Keyboard navigation of the chain diagram, as data: which node the arrow keys, Home and End move to,
 * and which node is the diagram's one Tab stop. Pure (no React, no DOM) so that every move is unit-tested
 * (navigation.test.ts); ChainDiagram only moves the focus where this module says.
 *
 * The diagram is one composite widget with a roving tabindex: Tab enters and leaves it once, and the
 * arrow keys move inside it along the drawing.
 *   Right / Left  the connected node (a child / a parent in the chain) in the nearest column that way
 *                 holding one, the vertically nearest of them. A node with none that way (a leaf such as
 *                 a collapsed endpoints node, a route to a resource backend, DNS and TLS; or the domain
 *                 for Left) keeps the focus: the chain ends there, and jumping to an unconnected node
 *                 would say the two are linked.
 *   Up / Down     the next node above / below in the same column; the ends of a column keep the focus.
 *   Home / End    the domain node, where the chain starts / the bottom node of the last column.
 *
 * @see https://www.w3.org/WAI/ARIA/apg/practices/keyboard-interface/#kbd_roving_tabindex
 */
import type { ChainLayout, PlacedNode } from './layout';
import { indexById } from './lookup';

/** The keys {@link nextNodeId} moves on (KeyboardEvent.key values). */
export const NAVIGATION_KEYS = ['ArrowRight', 'ArrowLeft', 'ArrowUp', 'ArrowDown', 'Home', 'End'] as const;
export type NavigationKey = (typeof NAVIGATION_KEYS)[number];

/** What navigation needs of a layout: the placed nodes and the edges between them. */
export type NavigationLayout = Pick<ChainLayout, 'nodes' | 'edges'>;

export const isNavigationKey = (key: string): key is NavigationKey => (NAVIGATION_KEYS as readonly string[]).includes(key);

const centreY = (n: PlacedNode) => n.y + n.height / 2;

/** Reading order: column by column, top to bottom. */
const byReadingOrder = (a: PlacedNode, b: PlacedNode) => a.layer - b.layer || a.y - b.y;

/** The node of `candidates` vertically nearest to `from`; on a tie the upper one, so a move is predictable. */
function nearest(from: PlacedNode, candidates: PlacedNode[]): PlacedNode | undefined {
  let best: PlacedNode | undefined;
  for (const c of candidates) {
    if (!best) best = c;
    else {
      const d = Math.abs(centreY(c) - centreY(from)) - Math.abs(centreY(best) - centreY(from));
      if (d < 0 || (d === 0 && c.y < best.y)) best = c;
    }
  }
  return best;
}

/**
 * The node that should hold the diagram's Tab stop when the user has not moved in it yet: the selected
 * node (`?focus=`), else the broken link (the worst-marked node, or the node a marked edge leads to;
 * critical before warning, then in reading order), else the domain node.
 */
export function initialNodeId(layout: NavigationLayout, selectedId?: string): string | undefined {
  const byId = indexById(layout.nodes);
  if (selectedId && byId.has(selectedId)) return selectedId;
  const marked: { node: PlacedNode; critical: boolean }[] = [];
  for (const n of layout.nodes) if (n.mark) marked.push({ node: n, critical: n.mark === 'critical' });
  for (const e of layout.edges) {
    // A broken edge (a backend naming a missing Service) is shown on the node it fails to reach.
    const to = e.mark ? byId.get(e.to) : undefined;
    if (to && e.mark) marked.push({ node: to, critical: e.mark === 'critical' });
  }
  marked.sort((a, b) => Number(b.critical) - Number(a.critical) || byReadingOrder(a.node, b.node));
  return marked[0]?.node.id ?? layout.nodes.find((n) => n.kind === 'domain')?.id ?? layout.nodes[0]?.id;
}

/**
 * Where `key` moves the focus from node `currentId`: a node id (`currentId` itself when the move is
 * blocked at an end of the diagram, so the caller still swallows the key instead of scrolling the page),
 * or `undefined` when `key` is not a navigation key. A `currentId` the layout no longer has (the node went
 * away under a refresh) moves to the {@link initialNodeId}.
 */
export function nextNodeId(layout: NavigationLayout, currentId: string | undefined, key: string): string | undefined {
  if (!isNavigationKey(key)) return undefined;
  const byId = indexById(layout.nodes);
  const current = currentId ? byId.get(currentId) : undefined;
  if (!current) return initialNodeId(layout);

  switch (key) {
    case 'Home':
      return (layout.nodes.find((n) => n.kind === 'domain') ?? [...layout.nodes].sort(byReadingOrder)[0] ?? current).id;
    case 'End':
      return ([...layout.nodes].sort(byReadingOrder).at(-1) ?? current).id;
    case 'ArrowUp':
    case 'ArrowDown': {
      const column = layout.nodes.filter((n) => n.layer === current.layer).sort(byReadingOrder);
      const i = column.indexOf(current) + (key === 'ArrowUp' ? -1 : 1);
      return (column[i] ?? current).id;
    }
    case 'ArrowRight':
    case 'ArrowLeft': {
      const right = key === 'ArrowRight';
      // Connected either way round, so the move does not depend on which end an edge is stored from;
      // the attach edges (domain to DNS and TLS) stay within the first column and so never count.
      const linked: PlacedNode[] = [];
      for (const e of layout.edges) {
        const other = e.from === current.id ? byId.get(e.to) : e.to === current.id ? byId.get(e.from) : undefined;
        if (other && (right ? other.layer > current.layer : other.layer < current.layer) && !linked.includes(other)) linked.push(other);
      }
      if (!linked.length) return current.id;
      // The nearest column that way holding a linked node: a Pod without an endpoint is the Service's
      // child two columns on, across the (for it, empty) endpoints column.
      const layer = right ? Math.min(...linked.map((n) => n.layer)) : Math.max(...linked.map((n) => n.layer));
      return (nearest(current, linked.filter((n) => n.layer === layer)) ?? current).id;
    }
  }
}
