'use client';
import { useParams } from 'next/navigation';

/**
 * The route parameter a not-found page is about, as the user typed it (decoded, lower-cased like the
 * API does). not-found files receive no props, so the name comes from the URL.
 */
export function MissingName({ param }: { param: string }) {
  const params = useParams<Record<string, string | string[]>>();
  const raw = params?.[param];
  const value = Array.isArray(raw) ? raw.join('/') : raw;
  let text = value ?? '';
  try {
    text = decodeURIComponent(text);
  } catch {
    // Keep it as typed.
  }
  return <strong className="break-all font-mono">{text.trim().toLowerCase() || '(none)'}</strong>;
}
