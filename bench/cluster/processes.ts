/**
 * Everything the benchmark starts is stopped: servers, child process groups, the temp folder; on a
 * normal end, on an error and on Ctrl-C.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { ROOT } from './options';
import { sleep } from './stats';

/** Where a spawned process's output goes: a file descriptor, nowhere, or (stderr only) the bench's own. */
export interface SpawnOptions {
  env?: NodeJS.ProcessEnv;
  stdout?: number | 'ignore';
  stderr?: number | 'ignore' | 'inherit';
}

/** The clean-ups and the child process groups of one benchmark run. */
export class Processes {
  private readonly cleanups: { name: string; fn: () => Promise<void> | void }[] = [];
  private readonly groups = new Set<number>();
  private cleaning: Promise<void> | undefined;

  /** Registers a clean-up; they run in reverse order of registration. */
  onCleanup(name: string, fn: () => Promise<void> | void): void {
    this.cleanups.push({ name, fn });
  }

  /** Runs every clean-up once (each bounded to 10 s); later calls wait for the same run. */
  cleanupAll(): Promise<void> {
    this.cleaning ??= (async () => {
      for (const c of this.cleanups.splice(0).reverse()) {
        try {
          await Promise.race([c.fn(), sleep(10_000)]);
        } catch (e) {
          console.error(`bench: cleanup ${c.name}: ${(e as Error).message}`);
        }
      }
    })();
    return this.cleaning;
  }

  /** On exit, no child process group outlives the bench; on a signal, everything is stopped first. */
  installExitHooks(): void {
    process.on('exit', () => {
      // Last resort (an exit nobody awaited the cleanup for).
      for (const pgid of this.groups) {
        try {
          process.kill(-pgid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
    });
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.on(sig, () => {
        console.error(`\nbench: ${sig}, stopping everything`);
        void this.cleanupAll().finally(() => process.exit(130));
      });
    }
  }

  /** Spawn in a process group of its own, so the whole tree (a server and its children) can be stopped. */
  spawn(cmd: string, args: string[], opts: SpawnOptions = {}): ChildProcess {
    const child = spawn(cmd, args, { cwd: ROOT, env: opts.env ?? process.env, detached: true, stdio: ['ignore', opts.stdout ?? 'ignore', opts.stderr ?? 'inherit'] });
    if (child.pid) this.groups.add(child.pid);
    child.on('exit', () => {
      if (child.pid) this.groups.delete(child.pid);
    });
    return child;
  }

  /** SIGTERM to the child's group, SIGKILL after 5 s. */
  async stop(child: ChildProcess): Promise<void> {
    const pid = child.pid;
    if (!pid || !this.groups.has(pid)) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      this.groups.delete(pid);
      return;
    }
    if ((await Promise.race([exited.then(() => 'exited'), sleep(5_000).then(() => 'timeout')])) === 'timeout') {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        /* gone */
      }
      await Promise.race([exited, sleep(2_000)]);
    }
    this.groups.delete(pid);
  }
}
