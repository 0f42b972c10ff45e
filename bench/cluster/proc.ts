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
 * The process of the tree with the largest RSS: the actual server, whether it runs in one process or
 * starts its worker as a child.
 */
export function serverProcess(root: number): ServerProcess | undefined {
  let best: ServerProcess | undefined;
  for (const pid of processTree(root)) {
    const m = procMemory(pid);
    if (m && (!best || m.rss > best.rss)) best = { pid, ...m, cmd: cmdline(pid) };
  }
  return best;
}
