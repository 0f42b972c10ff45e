/**
 * A real, throwaway PostgreSQL server for tests and benchmarks: the newest `/usr/lib/postgresql/<v>/bin`,
 * a fresh cluster in a temp directory, listening on 127.0.0.1 on a free port. Run as root, the binaries run
 * as the `postgres` user (PostgreSQL refuses root), through `runuser`.
 *
 * fsync is off: a killed server keeps every commit (the OS still holds the pages), a crashed machine would not.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort, waitFor } from './net';

export interface PostgresServer {
  /** `postgres://postgres@127.0.0.1:<port>/<database>`. */
  url: string;
  port: number;
  /** The temp directory holding the data and the socket; gone after `cleanup()`. */
  dir: string;
  /** Fast shutdown (SIGINT): open sessions are ended, the data stays for `start()`. */
  stop(): Promise<void>;
  /** SIGKILL to the server and every backend: a database dying under its clients. */
  kill(): Promise<void>;
  /** Starts the server again on the same port and data after `stop()` or `kill()`. */
  start(): Promise<void>;
  /** Stops the server if running and removes its temp directory. */
  cleanup(): Promise<void>;
}

const ROOT = '/usr/lib/postgresql';

/** The newest installed server's bin directory, or a clear error naming what is missing. */
export function findPostgresBin(root = ROOT): string {
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, 'bin', 'postgres')) && existsSync(join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a))
    : [];
  if (versions.length === 0) {
    throw new Error(`PostgreSQL server binaries not found: no ${root}/<version>/bin/postgres (install the Debian package "postgresql")`);
  }
  return join(root, versions[0]!, 'bin');
}

const asRoot = process.getuid?.() === 0;

/** The command line that runs `bin` as the postgres user when we are root. */
function command(bin: string, args: string[]): [string, string[]] {
  return asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
}

/** The ids of the processes whose parent is `pid` (the postmaster's backends). */
function children(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

export async function startPostgres(opts: { database?: string } = {}): Promise<PostgresServer> {
  const bin = findPostgresBin();
  const dir = mkdtempSync(join(tmpdir(), 'chainboard-pg-'));
  const data = join(dir, 'data');
  const database = opts.database ?? 'chainboard_test';
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  try {
    const [cmd, args] = command(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
    execFileSync(cmd, args, { stdio: 'pipe' });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    const err = e as { stderr?: Buffer; message: string };
    throw new Error(`initdb failed: ${err.stderr?.toString().trim() || err.message}`);
  }
  const port = await freePort();
  let child: ChildProcess | undefined;
  let output = '';
  let exited: string | undefined;

  const postmasterPid = (): number | undefined => {
    try {
      return Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    } catch {
      return undefined;
    }
  };

  const start = async () => {
    output = '';
    exited = undefined;
    const settings = ['-c', 'fsync=off', '-c', 'full_page_writes=off', '-c', 'max_connections=50'];
    const [cmd, args] = command(join(bin, 'postgres'), ['-D', data, '-k', dir, '-h', '127.0.0.1', '-p', String(port), ...settings]);
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = p;
    const keep = (b: Buffer) => {
      output = (output + b.toString()).slice(-4000);
    };
    p.stdout!.on('data', keep);
    p.stderr!.on('data', keep);
    p.on('exit', (code, signal) => {
      exited = `postgres exited (${signal ?? code}): ${output.trim().split('\n').slice(-3).join(' | ')}`;
      if (child === p) child = undefined;
    });
    await waitFor(
      `PostgreSQL on 127.0.0.1:${port}`,
      async () => {
        const c = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres', connectionTimeoutMillis: 1000 });
        c.on('error', () => {});
        try {
          await c.connect();
          return true;
        } finally {
          await c.end().catch(() => {});
        }
      },
      { timeoutMs: 30_000, intervalMs: 100, abort: () => exited },
    );
  };

  const waitExit = async () => {
    const p = child;
    if (!p) return;
    if (p.exitCode === null && p.signalCode === null) await new Promise((r) => p.once('exit', r));
  };

  const server: PostgresServer = {
    url: `postgres://postgres@127.0.0.1:${port}/${database}`,
    port,
    dir,
    async stop() {
      const pid = postmasterPid();
      if (!child || !pid) return;
      process.kill(pid, 'SIGINT');
      await waitExit();
    },
    async kill() {
      const pid = postmasterPid();
      if (!child || !pid) return;
      // Backends are listed before the postmaster dies: after that they belong to init.
      const all = [pid, ...children(pid)];
      for (const c of all) {
        try {
          process.kill(c, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      await waitExit();
      await waitFor('the killed backends to exit', () => all.every((c) => !existsSync(`/proc/${c}/stat`) || /\) Z /.test(readFileSync(`/proc/${c}/stat`, 'utf8'))), {
        timeoutMs: 10_000,
      });
    },
    start,
    async cleanup() {
      await server.stop().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };

  try {
    await start();
    const c = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
    await c.connect();
    await c.query(`CREATE DATABASE ${database}`);
    await c.end();
  } catch (e) {
    await server.cleanup();
    throw e;
  }
  return server;
}
