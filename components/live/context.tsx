'use client';
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import type { SyncInfo } from '../../lib/api/types';

/** What the page on screen knows about the freshness of its data, for the header's sync status. */
export interface LiveReport {
  sync?: SyncInfo;
  /** Epoch ms of the last successful answer. */
  updatedAt?: number;
  /** The last refresh failed with this status (0: Chainboard itself unreachable). */
  errorStatus?: number;
  errorMessage?: string;
}

const Ctx = createContext<{ report: LiveReport | undefined; setReport: (r: LiveReport | undefined) => void }>({
  report: undefined,
  setReport: () => undefined,
});

/** Holds the current page's live report so the header (rendered by the layout) can show it. */
export function LiveStatusProvider({ children }: { children: ReactNode }) {
  const [report, setReport] = useState<LiveReport | undefined>(undefined);
  return <Ctx.Provider value={{ report, setReport }}>{children}</Ctx.Provider>;
}

/** The report of the page on screen, if it has one. */
export function useLiveReport(): LiveReport | undefined {
  return useContext(Ctx).report;
}

/** Publishes a page's live report while the page is mounted. */
export function useReportLive(report: LiveReport): void {
  const { setReport } = useContext(Ctx);
  const { sync, updatedAt, errorStatus, errorMessage } = report;
  useEffect(() => {
    setReport({ sync, updatedAt, errorStatus, errorMessage });
  }, [setReport, sync, updatedAt, errorStatus, errorMessage]);
  useEffect(() => () => setReport(undefined), [setReport]);
}
