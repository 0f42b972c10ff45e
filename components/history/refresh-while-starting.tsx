'use client';
/**
 * History opens its store after the server is ready (the live dashboard never waits on it), so a page
 * rendered in the first seconds says "starting". The history parts are server-rendered, so the page asks
 * the server again a few times rather than saying "starting" until the user reloads.
 */
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';

const EVERY_MS = 3000;
const TRIES = 20;

export function RefreshWhileStarting() {
  const router = useRouter();
  useEffect(() => {
    let n = 0;
    const timer = setInterval(() => {
      if (++n > TRIES) clearInterval(timer);
      else router.refresh();
    }, EVERY_MS);
    return () => clearInterval(timer);
  }, [router]);
  return null;
}
