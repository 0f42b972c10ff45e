import 'server-only';
/**
 * The Open Graph image of `/d/{host}` (1200x630 PNG): host, health, top finding. Built from the redacted
 * view, like the preview text (lib/share/metadata.ts). app/d/[host]/opengraph-image.tsx renders
 * {@link ogCard} of the app with {@link renderOgCard}.
 *
 * Text is kept to ASCII: the bundled font covers Latin only, and a missing glyph would make the renderer
 * try to download a font (the server has no internet access to rely on).
 *
 * @see https://nextjs.org/docs/app/api-reference/file-conventions/metadata/opengraph-image
 */
import { ImageResponse } from 'next/og';
import type { ApiService } from '../api/service';
import type { Health } from '../model/chain';
import { BADGE_COLORS } from './badge';
import { previewDescription } from './metadata';
import { redactDomain } from './redact';

export const size = { width: 1200, height: 630 };
export const contentType = 'image/png';
export const alt = 'Health of the domain along its Ingress, Service, endpoints and Pods';

const ascii = (s: string) => s.replace(/…/g, '...').replace(/[—–]/g, '-').replace(/→/g, '->').replace(/[^\x20-\x7e]/g, '');

/** The card as data: what the image shows. Pure, so it can be tested without rendering. */
export interface OgCard {
  host: string;
  /** The cluster of the chain shown, named when Chainboard watches several. */
  cluster?: string;
  health: Health | 'not found' | 'unavailable';
  headline: string;
  counts?: { routes: number; problems: number };
}

/**
 * The card of a host in `cluster` (without it, the chain the domain API answers with), redacted like a
 * share link. An unknown cluster is "not found".
 */
export async function ogCard(api: ApiService, rawHost: string, cluster?: string): Promise<OgCard> {
  const outcome = await api.getDomain(rawHost, cluster);
  if (!outcome.ok) {
    return { host: ascii(rawHost).slice(0, 80), health: outcome.status === 404 ? 'not found' : 'unavailable', headline: outcome.body.error.message };
  }
  const d = redactDomain(outcome.data.domain, outcome.data.analyzedAt);
  const problems = d.findings.filter((f) => f.severity !== 'info').reduce((n, f) => n + f.count, 0);
  const several = (await api.clusterNames()).length > 1;
  return { host: d.host, ...(several ? { cluster: outcome.data.domain.cluster } : {}), health: d.health, headline: previewDescription(d), counts: { routes: d.routes.length, problems } };
}

/** Render a card as a PNG response. */
export function renderOgCard(card: OgCard): ImageResponse {
  const color = card.health in BADGE_COLORS ? BADGE_COLORS[card.health as Health] : BADGE_COLORS.unknown;
  return new ImageResponse(
    (
      <div style={{ width: '100%', height: '100%', display: 'flex', flexDirection: 'column', justifyContent: 'space-between', padding: 64, background: '#111827', color: '#f9fafb', fontSize: 32 }}>
        <div style={{ display: 'flex', fontSize: 28, color: '#9ca3af' }}>{card.cluster ? `Chainboard - cluster ${ascii(card.cluster)}` : 'Chainboard'}</div>
        <div style={{ display: 'flex', flexDirection: 'column', gap: 28 }}>
          <div style={{ display: 'flex', fontSize: card.host.length > 32 ? 56 : 72, fontWeight: 700, wordBreak: 'break-all' }}>{ascii(card.host)}</div>
          <div style={{ display: 'flex', alignItems: 'center', gap: 24 }}>
            <div style={{ display: 'flex', background: color, color: '#fff', borderRadius: 999, padding: '8px 32px', fontSize: 44, fontWeight: 700, textTransform: 'uppercase' }}>
              {card.health}
            </div>
            {card.counts && (
              <div style={{ display: 'flex', color: '#d1d5db' }}>
                {`${card.counts.problems} problem${card.counts.problems === 1 ? '' : 's'} - ${card.counts.routes} route${card.counts.routes === 1 ? '' : 's'}`}
              </div>
            )}
          </div>
          <div style={{ display: 'flex', color: '#e5e7eb', lineHeight: 1.4 }}>{ascii(card.headline).slice(0, 200)}</div>
        </div>
        <div style={{ display: 'flex', height: 12, background: color, borderRadius: 6 }} />
      </div>
    ),
    { ...size, headers: { 'cache-control': 'no-cache, max-age=0' } },
  );
}
