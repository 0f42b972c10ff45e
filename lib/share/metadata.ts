import 'server-only';
/**
 * Open Graph and Twitter card metadata of `/d/{host}`, so a link pasted into a chat previews the domain's
 * health and its top finding. The preview text goes to the chat vendor's servers, so it is built from the
 * redacted view (lib/share/redact.ts), like a share link.
 *
 * app/d/[host]/page.tsx's `generateMetadata` calls {@link domainMetadata} with the app.
 *
 * @see https://nextjs.org/docs/app/api-reference/functions/generate-metadata
 * @see https://ogp.me/
 */
import type { Metadata } from 'next';
import type { ApiService } from '../api/service';
import type { Health } from '../model/chain';
import { redactDomain, topFinding, type SharedDomain } from './redact';
import type { ShareService } from './service';

const MAX_DESCRIPTION = 200;

/** "host — health": the title of the page and of its previews. */
export function previewTitle(host: string, health: Health | 'not found'): string {
  return `${host} — ${health}`;
}

/**
 * The title of a share page and its previews: "host — health", and "host (cluster eu) — health" when
 * Chainboard watches several clusters (`cluster` given), since the same host can then be healthy in one
 * and down in another.
 */
export function sharedTitle(host: string, health: Health, cluster?: string): string {
  return cluster ? `${host} (cluster ${cluster}) — ${health}` : previewTitle(host, health);
}

/** One or two sentences: the top finding and how many more problems there are. Pure. */
export function previewDescription(d: Pick<SharedDomain, 'health' | 'findings' | 'routes'>): string {
  const top = topFinding(d);
  if (!top) {
    if (d.health === 'unknown') return 'Some data could not be read: the health of this domain is unknown.';
    const routes = d.routes.length;
    return `No problems found along the chain (${routes} route${routes === 1 ? '' : 's'}).`;
  }
  const problems = d.findings.filter((f) => f.severity !== 'info').reduce((n, f) => n + f.count, 0);
  const more = problems - 1;
  const head = top.message ? `${top.title}: ${top.message}` : top.title;
  const tail = more > 0 ? ` (+${more} more problem${more === 1 ? '' : 's'})` : '';
  const room = MAX_DESCRIPTION - tail.length;
  return `${head.length > room ? `${head.slice(0, room - 1)}…` : head}${tail}`;
}

/**
 * The origin the request came to, for absolute preview URLs when CHAINBOARD_PUBLIC_URL is not set (chat
 * tools need an absolute og:image). A spoofed Host header only changes the answer to the spoofer's own
 * request: these pages are dynamic and never cached for others.
 */
async function requestOrigin(): Promise<URL | undefined> {
  try {
    const { headers } = await import('next/headers');
    const h = await headers();
    const host = h.get('x-forwarded-host')?.split(',')[0]?.trim() || h.get('host');
    if (!host || !/^[a-z0-9.-]+(:\d{1,5})?$/i.test(host)) return undefined;
    const proto = h.get('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase() === 'https' ? 'https' : 'http';
    return new URL(`${proto}://${host}`);
  } catch {
    // Outside a request (tests, build): no origin to offer.
    return undefined;
  }
}

/**
 * The metadata of the domain page of `rawHost` (the route parameter, percent-encoded or not) in
 * `opts.cluster` (without it, the chain the domain API answers with). With several clusters the title
 * names the cluster. `opts.path`: the page's canonical path (default `/d/{host}`).
 */
export async function domainMetadata(
  app: { api: ApiService; share: Pick<ShareService, 'publicUrl'> },
  rawHost: string,
  opts: { cluster?: string; path?: string } = {},
): Promise<Metadata> {
  const outcome = await app.api.getDomain(rawHost, opts.cluster);
  const base = app.share.publicUrl() ?? (await requestOrigin());
  const common: Metadata = {
    ...(base ? { metadataBase: base } : {}),
    // Dashboards of a cluster are not for search engines, whoever can reach them.
    robots: { index: false, follow: false },
  };
  if (!outcome.ok) {
    const title = outcome.status === 404 ? previewTitle(safeHost(rawHost), 'not found') : 'Chainboard';
    return { ...common, title, description: outcome.body.error.message };
  }
  const shared = redactDomain(outcome.data.domain, outcome.data.analyzedAt);
  const several = (await app.api.clusterNames()).length > 1;
  const title = sharedTitle(shared.host, shared.health, several ? outcome.data.domain.cluster : undefined);
  const description = previewDescription(shared);
  const url = opts.path ?? `/d/${encodeURIComponent(shared.host)}`;
  return {
    ...common,
    title,
    description,
    alternates: { canonical: url },
    openGraph: { title, description, url, type: 'website', siteName: 'Chainboard' },
    twitter: { card: 'summary_large_image', title, description },
  };
}

function safeHost(raw: string): string {
  try {
    return decodeURIComponent(raw).toLowerCase().slice(0, 253);
  } catch {
    return raw.slice(0, 253);
  }
}
