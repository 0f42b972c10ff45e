/** /proc: a server's process tree and its memory. */
import { readdirSync, readFileSync } from 'node:fs';

function procChildren(): Map<number, number[]> {
  const kids = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = kids.get(ppid) ?? [];
      list.push(Number(name));
      kids.set(ppid, list);
    } catch {
      /* exited meanwhile */
    }
  }
  return kids;
}

/** `root` and every process below it. */
export function processTree(root: number): number[] {
  const kids = procChildren();
  const out: number[] = [];
  const todo = [root];
  while (todo.length) {
    const p = todo.pop()!;
    out.push(p);
    todo.push(...(kids.get(p) ?? []));
  }
  return out;
}

/** VmRSS and VmHWM of a process, in bytes; undefined once it is gone. */
export function procMemory(pid: number): { rss: number; hwm: number } | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(s)?.[1] ?? NaN) * 1024;
    const rss = kb('VmRSS');
    // A zombie (exited, not yet reaped) has no memory lines.
    return Number.isFinite(rss) ? { rss, hwm: kb('VmHWM') } : undefined;
  } catch {
    return undefined;
  }
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
  } catch {
    return '?';
  }
}

/** A process of the tree with its memory and command line. */
export interface ServerProcess {
  pid: number;
  rss: number;
  hwm: number;
  cmd: string;
}

/**
 * The server's process in the tree under `root`: the one whose command line runs `script` (the largest,
 * should there be several), else the one with the largest RSS, whether the server runs in one process or
 * starts its worker as a child. The command line is kept, so the report shows which process was measured.
 */
export function serverProcess(root: number, script?: string): ServerProcess | undefined {
  const all: ServerProcess[] = [];
  for (const pid of processTree(root)) {
    const m = procMemory(pid);
    if (m) all.push({ pid, ...m, cmd: cmdline(pid) });
  }
  const named = script ? all.filter((p) => p.cmd.split(' ').some((arg) => arg.endsWith(script))) : [];
  const pool = named.length ? named : all;
  return pool.reduce<ServerProcess | undefined>((best, p) => (!best || p.rss > best.rss ? p : best), undefined);
}
