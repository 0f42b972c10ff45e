// The link-preview image of a domain (health and top finding, from the redacted view).
import { getApp } from '@/lib/server/current';
import { ogCard, renderOgCard } from '@/lib/share/og';

export { size, contentType, alt } from '@/lib/share/og';
export const dynamic = 'force-dynamic';

export default async function Image({ params }: { params: Promise<{ host: string }> }) {
  return renderOgCard(await ogCard(getApp().api, (await params).host));
}
