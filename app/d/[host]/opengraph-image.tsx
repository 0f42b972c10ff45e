// The link-preview image of a domain (health and top finding, from the redacted view).
export { default, size, contentType, alt } from '@/lib/share/og';
export const dynamic = 'force-dynamic';
