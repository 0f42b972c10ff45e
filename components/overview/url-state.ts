/**
 * The overview's state as the URL holds it, and the decisions the search field makes, as pure
 * functions: the server renders the first paint from the URL with the same parsing the client uses, and
 * a link (or a reload) reproduces the view.
 */
import { DOMAIN_SORTS, type DomainSort, type DomainsResponse, type OverviewResponse } from '../../lib/api/types';
import { HEALTH_ORDER, type Health } from '../../lib/model/chain';
import { hrefs, type OverviewQuery } from '../data/keys';

export type SearchParams = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/**
 * A URL typed or pasted by hand may carry anything: keep what is valid, drop the rest. A search longer
 * than the API takes is kept, so the page says 400 as the API does, and the production server answers
 * with that status (lib/server/preflight.ts); the search field itself never makes one.
 */
export function overviewQueryFrom(sp: SearchParams): OverviewQuery {
  const view = one(sp.view) === 'domains' ? 'domains' : undefined;
  const q = one(sp.q)?.trim() || undefined;
  const h = one(sp.health);
  const health = h && (HEALTH_ORDER as readonly string[]).includes(h) ? (h as Health) : undefined;
  const s = one(sp.sort);
  const sort = view && s && s !== 'health' && (DOMAIN_SORTS as readonly string[]).includes(s) ? (s as DomainSort) : undefined;
  const o = Number(one(sp.offset));
  const offset = Number.isInteger(o) && o > 0 && o <= 1_000_000 ? o : undefined;
  const query: OverviewQuery = {};
  if (view) query.view = view;
  if (q) query.q = q;
  if (health) query.health = health;
  if (sort) query.sort = sort;
  if (offset) query.offset = offset;
  return query;
}

/** The same, from a `URLSearchParams` (the browser's location). */
export function overviewQueryFromSearch(search: string): OverviewQuery {
  const sp: SearchParams = {};
  for (const [k, v] of new URLSearchParams(search)) if (!(k in sp)) sp[k] = v;
  return overviewQueryFrom(sp);
}

/**
 * The search form's hidden field: present only when the form is submitted without the page's script
 * (which handles Enter itself), so the server opens the single match instead.
 */
export const OPEN_PARAM = 'open';

/**
 * Where Enter in the search field goes when the filter leaves one thing: the domain, in the domain view;
 * in the environment view, the one domain the search found by its host, or else the one environment.
 * Undefined when more or less than one thing matches: Enter then only applies the filter.
 */
export function singleMatchHref(
  list: { view: 'domains'; data: Pick<DomainsResponse, 'matched' | 'domains'> } | { view: 'environments'; data: Pick<OverviewResponse, 'matched' | 'namespaces'> },
): string | undefined {
  if (list.data.matched !== 1) return undefined;
  if (list.view === 'domains') {
    const d = list.data.domains[0];
    return d && hrefs.domain(d);
  }
  const ns = list.data.namespaces[0];
  if (!ns) return undefined;
  const found = ns.matchingDomains;
  if (found?.count === 1 && found.domains[0]) return hrefs.domain({ cluster: ns.cluster, host: found.domains[0].host });
  return hrefs.namespace(ns);
}

/** Whether a key press goes to something the user types into, where `/` is a character and not a shortcut. */
export function isTypingTarget(el: { tagName?: string; isContentEditable?: boolean; type?: string } | null | undefined): boolean {
  if (!el) return false;
  if (el.isContentEditable) return true;
  const tag = el.tagName?.toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  // Buttons, checkboxes and the like take no text.
  return !['button', 'submit', 'reset', 'checkbox', 'radio', 'range', 'color', 'file', 'image'].includes((el.type ?? 'text').toLowerCase());
}

/** Whether a keydown is the `/` shortcut to the search field. */
export function isSearchShortcut(e: { key: string; ctrlKey: boolean; metaKey: boolean; altKey: boolean; target: unknown }): boolean {
  return e.key === '/' && !e.ctrlKey && !e.metaKey && !e.altKey && !isTypingTarget(e.target as Parameters<typeof isTypingTarget>[0]);
}
