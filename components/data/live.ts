'use client';
import { useCallback, useState } from 'react';
import useSWR from 'swr';
import { fetchJson, type ApiError } from './fetcher';
import { liveOptions } from './options';

/** What a live hook returns: SWR's state plus when the data was last confirmed by the server. */
export interface LiveResource<T> {
  data: T | undefined;
  error: ApiError | undefined;
  isValidating: boolean;
  /** Epoch ms of the last successful answer (the server render counts as one). */
  updatedAt: number;
  /** Fetch now, e.g. from a "Retry" button. */
  refresh: () => void;
}

/**
 * The SWR wiring shared by the per-resource hooks. `initial` (the server-rendered response) is used only
 * for the key it was rendered for: SWR would otherwise show it for every other key too.
 * `updatedAt` comes from `onSuccess` because SWR keeps the same data object when nothing changed, and
 * "updated N s ago" must still move on.
 */
export function useLiveResource<T>(key: string | null, initial?: { key: string; data: T }): LiveResource<T> {
  const [updatedAt, setUpdatedAt] = useState(() => Date.now());
  const onSuccess = useCallback(() => setUpdatedAt(Date.now()), []);
  const fallbackData = initial && initial.key === key ? initial.data : undefined;
  const { data, error, isValidating, mutate } = useSWR<T, ApiError>(key, fetchJson<T>, { ...liveOptions, fallbackData, onSuccess });
  const refresh = useCallback(() => void mutate(), [mutate]);
  return { data, error, isValidating, updatedAt, refresh };
}
