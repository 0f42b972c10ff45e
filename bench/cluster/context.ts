/**
 * What every phase of the benchmark shares: the options, the process registry, the one seeded random
 * stream (so a seed picks the same domains in the same order) and the list of errors found so far.
 */
import { rng } from '../synthetic';
import { SEED, type BenchOptions } from './options';
import { Processes } from './processes';

/** The run's shared state, handed to each phase. */
export interface Bench {
  readonly options: BenchOptions;
  readonly processes: Processes;
  /** A number in [0, 1) from the run's seeded stream. */
  readonly rand: () => number;
  /** One element of `xs`, from the same stream. */
  readonly pick: <T>(xs: readonly T[]) => T;
  /** Errors that fail the run (a missed target is not one). */
  readonly errors: string[];
}

/** A run with its random stream seeded by {@link SEED}. */
export function createBench(options: BenchOptions): Bench {
  const rand = rng(SEED);
  return {
    options,
    processes: new Processes(),
    rand,
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!,
    errors: [],
  };
}
