// The link-preview image of a domain (health and top finding, from the redacted view).
import { notFound } from 'next/navigation';
import { parseHost } from '@/lib/api/params';
import { getApp } from '@/lib/server/current';
import { ogCard, renderOgCard } from '@/lib/share/og';

export { size, contentType, alt } from '@/lib/share/og';
export const dynamic = 'force-dynamic';

/** The card of a domain Chainboard knows (or cannot look up yet: it says so); 404 for any other host. */
export default async function Image({ params }: { params: Promise<{ host: string }> }) {
  const { host } = await params;
  // A preview of a domain no client environment has, or of a string that is not a host name, is no image.
  if (!parseHost(host).ok) notFound();
  const card = await ogCard(getApp().api, host);
  if (card.health === 'not found') notFound();
  return renderOgCard(card);
}
