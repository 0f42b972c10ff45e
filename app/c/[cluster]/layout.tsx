import { notFound } from 'next/navigation';
import type { ReactNode } from 'react';
import { getApp } from '@/lib/server/current';
import { clusterParam } from '@/app/_pages/cluster-param';

type Params = { cluster: string };

/**
 * Every page under `/c/{cluster}` is one cluster's: a name Chainboard does not watch is a 404 here
 * (app/c/not-found.tsx says so), before any page looks for a host or namespace in it. While no cluster
 * can start (no names yet) the pages say why themselves (the API's 503).
 */
export default async function ClusterLayout({ children, params }: { children: ReactNode; params: Promise<Params> }) {
  const { cluster } = await params;
  const names = await getApp().api.clusterNames();
  if (names.length > 0 && !names.includes(clusterParam(cluster))) notFound();
  return children;
}

