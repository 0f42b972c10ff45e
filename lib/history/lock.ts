/**
 * Who may write. With PostgreSQL several replicas share one database and exactly one writes: the one
 * holding a session-level advisory lock on a dedicated connection. When that process dies its session
 * ends, the lock frees, and a reader retrying picks it up. PGlite is single-process: a lock file in the
 * data directory refuses a second process (two processes must never open one PGlite directory).
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';

export class PgWriterLock {
  private client?: pg.Client;
  private holding = false;

  /** `onLost` is called when the session holding the lock ends (terminated backend, server gone). */
  constructor(
    private readonly url: string,
    private readonly cluster: string,
    private readonly onLost: (e: unknown) => void,
  ) {}

  get held(): boolean {
    return this.holding;
  }

  /** One attempt: true when this process holds (or now took) the lock. Throws when the server is unreachable. */
  async tryAcquire(): Promise<boolean> {
    if (this.holding) return true;
    if (!this.client) {
      const { default: pgm } = await import('pg');
      const client = new pgm.Client({ connectionString: this.url, connectionTimeoutMillis: 5000 });
      client.on('error', (e) => this.drop(client, e));
      client.on('end', () => this.drop(client, new Error('lock connection ended')));
      try {
        await client.connect();
      } catch (e) {
        client.removeAllListeners();
        client.on('error', () => {});
        throw e;
      }
      this.client = client;
    }
    const rows = await this.client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock(hashtext('chainboard-writer:' || $1)) AS ok", [this.cluster]);
    this.holding = rows.rows[0]?.ok === true;
    return this.holding;
  }

  private drop(client: pg.Client, e: unknown): void {
    if (client !== this.client) return;
    const was = this.holding;
    this.client = undefined;
    this.holding = false;
    client.removeAllListeners();
    client.on('error', () => {});
    client.end().catch(() => {});
    if (was) this.onLost(e);
  }

  /** Ends the lock's session, which frees the lock. */
  async release(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.holding = false;
    if (!client) return;
    client.removeAllListeners();
    client.on('error', () => {});
    await client.end().catch(() => {});
  }
}

/** Data directories this process holds open: a second service on one directory is refused like another process. */
const heldDirs = new Set<string>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the data directory's lock file, or throws naming the process that holds it. Returns the release. */
export function lockDataDir(dir: string): () => void {
  const file = join(dir, 'chainboard.lock');
  if (heldDirs.has(file)) throw new Error(`data directory ${dir} is already open in this process`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      heldDirs.add(file);
      return () => {
        heldDirs.delete(file);
        rmSync(file, { force: true });
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(readFileSync(file, 'utf8').trim());
      if (pid && pid !== process.pid && alive(pid)) throw new Error(`data directory ${dir} is in use by process ${pid}`);
      // A lock left by a process that is gone (or by this one, closed without releasing) is stale.
      rmSync(file, { force: true });
    }
  }
  throw new Error(`cannot lock data directory ${dir}`);
}
