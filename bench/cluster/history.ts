/**
 * Phase 6: the history store's own figures, so `npm run bench` prints them beside the cluster's.
 * bench/history.ts (the store's SQL on PGlite and on a throwaway PostgreSQL) and bench/history-record.ts
 * (what recording adds to the analysis) each run in a child process of their own: their heaps and
 * engines must not weigh on each other's or on this process's figures. Each prints a last `BENCH_JSON`
 * line, read here; a child that fails or prints none is an error of the run, not a silent empty row.
 */
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Bench } from './context';
import { fmtMs } from './stats';

/** One engine's figures, as bench/history.ts prints them. */
export interface EngineFigures {
  engine: string;
  rows: number;
  insertMs: number;
  domainP50: number;
  domainP95: number;
  summariesFullMs: number;
  summariesMs: number;
  summaryHosts: number;
  bytesPer1000: number;
  tableBytesPer1000: number;
  rssMb: number;
}

export interface HistoryFigures {
  store?: { hosts: number; bigHostTransitions: number; engines: EngineFigures[] };
  recording?: {
    domains: number;
    namespaces: number;
    analysisMs: number;
    perChangeMs: number;
    viewMs: number;
    rolloutPodMs: number;
    rolloutRecordingMs: number;
    rolloutAnalysisMs: number;
    waveMs: number;
  };
}

const TIMEOUT_MS = 15 * 60_000;

/** Runs one script with `--json`, bounded, and returns its BENCH_JSON figures (undefined on failure). */
async function runScript<T>(bench: Bench, work: string, script: string, args: string[]): Promise<T | undefined> {
  const out = join(work, `${script.replace(/\W+/g, '-')}.out`);
  const fd = openSync(out, 'w');
  const t = performance.now();
  console.error(`bench: ${script} ${args.join(' ')} ...`);
  const child = bench.processes.spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', script, ...args, '--json'], { stdout: fd, stderr: 'inherit' });
  const timer = setTimeout(() => void bench.processes.stop(child), TIMEOUT_MS);
  const code = await new Promise<number>((r) => child.on('exit', (c, sig) => r(c ?? (sig ? 128 : 3))));
  clearTimeout(timer);
  closeSync(fd);
  const text = readFileSync(out, 'utf8');
  const line = text.split('\n').find((l) => l.startsWith('BENCH_JSON '));
  console.error(`bench: ${script} took ${fmtMs(performance.now() - t)} (exit ${code})`);
  if (code !== 0 || !line) {
    bench.errors.push(`${script} exited ${code}${line ? '' : ' without figures'}`);
    return undefined;
  }
  return JSON.parse(line.slice('BENCH_JSON '.length)) as T;
}

export async function measureHistory(bench: Bench, work: string): Promise<HistoryFigures> {
  const { small } = bench.options;
  const store = await runScript<HistoryFigures['store']>(bench, work, 'bench/history.ts', small ? ['--small'] : []);
  const recording = await runScript<HistoryFigures['recording']>(bench, work, 'bench/history-record.ts', small ? ['--namespaces', '20', '--runs', '21'] : []);
  return { store, recording };
}
