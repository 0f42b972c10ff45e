/**
 * The control plane's processes: each component in a process group of its own, logging to
 * `<dir>/logs/<name>.log`, stopped group by group. Nothing outlives the test process: exit and signal
 * hooks kill every group synchronously, and a bash watchdog kills them (and removes the folder) even when
 * the test process dies by SIGKILL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { COMPONENTS, type ComponentName } from './components';

/** What runs in a process group of its own: a control-plane component, or Traefik (traefik.ts). */
export type ProcessName = ComponentName | 'traefik';

/** A process the harness started, by component name. */
export interface ProcessInfo {
  name: ProcessName | 'watchdog';
  pid: number;
}

interface Proc {
  name: ProcessName;
  child: ChildProcess;
  exited: Promise<void>;
  done: boolean;
  logPath: string;
}

/** What must be killed (and removed) if this process ends without stopping a control plane. */
interface Running {
  /** Process groups of the components (each component leads its own group). */
  pgids: Set<number>;
  /** The watchdog's group, kept apart: it reads `pgids` from a file and must not kill itself first. */
  watchdogPgid?: number;
  dir: string;
  removeDir: boolean;
}

// Every control plane of this process, so the exit hooks reach them all.
const live = new Set<Running>();
let exitHooksInstalled = false;

function killGroupsSync(r: Running): void {
  for (const pgid of [...r.pgids, ...(r.watchdogPgid === undefined ? [] : [r.watchdogPgid])]) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  r.pgids.clear();
  r.watchdogPgid = undefined;
  if (r.removeDir) rmSync(r.dir, { recursive: true, force: true });
}

function installExitHooks(): void {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  process.on('exit', () => {
    for (const r of live) killGroupsSync(r);
  });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      for (const r of live) killGroupsSync(r);
      process.kill(process.pid, sig);
    });
  }
}

function tail(path: string, lines = 25): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Where and how the components run. */
export interface ProcessesOptions {
  /** The working folder: the components' cwd, `home/`, and the pgid file. */
  dir: string;
  /** The folder of the binaries. */
  binDir: string;
  /** The folder of the logs. */
  logs: string;
  /** Remove `dir` when the processes are released. */
  removeDir: boolean;
  log: (line: string) => void;
}

/** The processes of one control plane. */
export class ComponentProcesses {
  private readonly procs = new Map<ProcessName, Proc>();
  private readonly running: Running;
  private readonly pgidFile: string;
  // A clean environment: nothing of the caller's (KUBECONFIG, proxies) leaks into the components.
  private readonly childEnv: NodeJS.ProcessEnv;
  private watchdog: ChildProcess | undefined;

  constructor(private readonly o: ProcessesOptions) {
    this.running = { pgids: new Set(), dir: o.dir, removeDir: o.removeDir };
    this.pgidFile = join(o.dir, 'pgids');
    this.childEnv = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: join(o.dir, 'home'), // kwok would otherwise read ~/.kwok/kwok.yaml
      NO_PROXY: '127.0.0.1,localhost',
    } as Record<string, string> as NodeJS.ProcessEnv;
    live.add(this.running);
    installExitHooks();
  }

  /** Whether `dir` goes when the processes are released. */
  get removesDir(): boolean {
    return this.running.removeDir;
  }

  private writePgids(): void {
    writeFileSync(this.pgidFile, [...this.running.pgids].join('\n') + '\n');
  }

  /** Starts a component in its own process group (so stop() can kill it and anything it started). */
  start(name: ProcessName, args: string[]): void {
    const logPath = join(this.o.logs, `${name}.log`);
    const fd = openSync(logPath, 'a');
    const child = spawn(join(this.o.binDir, name), args, { cwd: this.o.dir, env: this.childEnv, detached: true, stdio: ['ignore', fd, fd] });
    closeSync(fd);
    const pid = child.pid;
    if (pid === undefined) throw new Error(`could not start ${name}`);
    const running = this.running;
    running.pgids.add(pid);
    this.writePgids();
    const p: Proc = {
      name,
      child,
      logPath,
      done: false,
      exited: new Promise<void>((resolve) => {
        child.once('exit', () => {
          p.done = true;
          running.pgids.delete(pid);
          resolve();
        });
        child.once('error', () => {
          p.done = true;
          running.pgids.delete(pid);
          resolve();
        });
      }),
    };
    this.procs.set(name, p);
    this.o.log(`${name} started (pid ${pid}), log ${logPath}`);
  }

  /** Whether the component was started and not stopped. */
  has(name: ProcessName): boolean {
    return this.procs.has(name);
  }

  /**
   * Sends `signal` to the component's group, SIGKILL after `graceMs`, then SIGKILL to whatever is left
   * in the group. kube-apiserver stops listening right after SIGTERM but may linger on open watch
   * connections, hence the grace.
   */
  async stop(name: ProcessName, graceMs = 5_000, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const p = this.procs.get(name);
    if (!p) return;
    const pid = p.child.pid;
    if (!p.done && pid !== undefined) {
      try {
        process.kill(-pid, signal);
      } catch {
        // gone
      }
      const timedOut = await Promise.race([p.exited.then(() => false), sleep(graceMs).then(() => true)]);
      if (timedOut) {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          // gone
        }
        await p.exited;
      }
      // Anything left in the group (the component's own children) goes too.
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // group empty
      }
    }
    this.procs.delete(name);
    this.writePgids();
    this.o.log(`${name} stopped`);
  }

  /**
   * Why waiting for the components is pointless, with the log tail of the first one that exited (or was
   * never started); undefined while they all run. A waitFor `abort`: the wait fails at once.
   */
  exited(...names: ProcessName[]): string | undefined {
    for (const name of names) {
      const p = this.procs.get(name);
      if (!p || p.done) return `${name} exited early; last log lines:\n${tail(join(this.o.logs, `${name}.log`))}`;
    }
    return undefined;
  }

  /**
   * Starts the watchdog: if this Node process dies without running its exit hooks (SIGKILL), the control
   * plane must not outlive it.
   */
  startWatchdog(): void {
    const watchScript = [
      'while kill -0 "$1" 2>/dev/null; do sleep 1; done',
      'for g in $(cat "$2" 2>/dev/null); do kill -KILL -- "-$g" 2>/dev/null; done',
      '[ "$3" = 1 ] && rm -rf "$4"',
      'exit 0',
    ].join('\n');
    const watchdog = spawn('bash', ['-c', watchScript, 'chainboard-cp-watchdog', String(process.pid), this.pgidFile, this.running.removeDir ? '1' : '0', this.o.dir], {
      detached: true,
      stdio: 'ignore',
      env: this.childEnv,
    });
    watchdog.unref();
    this.watchdog = watchdog;
    this.running.watchdogPgid = watchdog.pid;
  }

  /** PIDs of every process started (components and the watchdog). */
  list(): ProcessInfo[] {
    const out: ProcessInfo[] = [];
    for (const p of this.procs.values()) if (p.child.pid !== undefined) out.push({ name: p.name, pid: p.child.pid });
    if (this.watchdog?.pid !== undefined) out.push({ name: 'watchdog', pid: this.watchdog.pid });
    return out;
  }

  /** Stops every component, last started first, then anything else started, then the watchdog. */
  async stopAll(): Promise<void> {
    for (const name of [...COMPONENTS].reverse()) await this.stop(name);
    for (const name of [...this.procs.keys()]) await this.stop(name);
    const watchdog = this.watchdog;
    if (watchdog?.pid !== undefined) {
      const wpid = watchdog.pid;
      const gone = new Promise<void>((r) => (watchdog.exitCode !== null || watchdog.signalCode !== null ? r() : watchdog.once('exit', () => r())));
      // The watchdog is unref'd so it never keeps the process alive; waiting for its exit must, or a failed
      // start in an otherwise idle process would end it with code 0 before the error is reported.
      watchdog.ref();
      try {
        process.kill(-wpid, 'SIGKILL');
      } catch {
        // gone
      }
      await gone;
      this.running.watchdogPgid = undefined;
    }
  }

  /** Kills whatever is left, removes the folder unless it is kept, and forgets this control plane. */
  release(): void {
    killGroupsSync(this.running);
    live.delete(this.running);
  }
}
