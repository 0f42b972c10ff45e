/**
 * The one seam between the history store and its two engines: PGlite (Postgres in WASM, embedded in a data
 * directory) and a real PostgreSQL through `pg`. Both speak the same SQL, so the store only needs rows
 * back from `$1`-parameterised queries, plain scripts, transactions and a close.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export type Row = Record<string, unknown>;

export interface Db {
  readonly engine: 'pglite' | 'postgres';
  query<T extends Row = Row>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs a script of several statements without parameters. */
  exec(sql: string): Promise<void>;
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** What a callback-style driver error says, kept short enough for a status line. */
export function errorText(e: unknown): string {
  if (e instanceof AggregateError && e.errors.length > 0) return errorText(e.errors[0]);
  if (e instanceof Error) return e.message || (e as NodeJS.ErrnoException).code || e.name;
  return String(e);
}

/**
 * PostgreSQL's default 128 MB of shared buffers is sized for a server of its own; the history store's
 * working set is a few MB, and in WASM every buffer page is resident memory of the dashboard's process
 * (about 130 MB more RSS with the default, measured).
 */
const PGLITE_CONF = ['shared_buffers=16MB'];

/**
 * Creates the database cluster of a new data directory in a short-lived child process. PGlite's initdb
 * runs in a WebAssembly instance of its own whose memory (about 500 MB) stays with the process that ran
 * it; in a child it is returned to the system when the child exits, and the dashboard opens the ready
 * directory at its normal size. Resolves false when the child could not do it (the caller then runs
 * initdb itself).
 */
function initInChild(dataDir: string, log: (m: string) => void): Promise<boolean> {
  const script = `const { PGlite } = await import('@electric-sql/pglite'); const db = new PGlite(${JSON.stringify(dataDir)}, { postgresqlconf: ${JSON.stringify(PGLITE_CONF)} }); await db.waitReady; await db.close();`;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-2000)));
    child.on('error', (e) => {
      log(`history: could not start initdb in a child process (${e.message}); running it here`);
      resolve(false);
    });
    child.on('exit', (code) => {
      if (code === 0 && existsSync(join(dataDir, 'PG_VERSION'))) return resolve(true);
      log(`history: initdb in a child process failed (exit ${code}: ${err.trim().split('\n').pop() ?? ''}); running it here`);
      resolve(false);
    });
  });
}

/** Opens (creating when missing) an embedded PGlite database in `dataDir`. */
export async function openPglite(dataDir: string, log: (m: string) => void = () => {}): Promise<Db> {
  mkdirSync(dataDir, { recursive: true });
  if (!existsSync(join(dataDir, 'PG_VERSION'))) await initInChild(dataDir, log);
  const { PGlite } = await import('@electric-sql/pglite');
  const pg = new PGlite(dataDir, { postgresqlconf: PGLITE_CONF });
  await pg.waitReady;
  type Conn = Pick<typeof pg, 'query' | 'exec'>;
  const wrap = (conn: Conn, inTx: boolean): Db => ({
    engine: 'pglite',
    query: async <T extends Row>(sql: string, params?: unknown[]) => (await conn.query<T>(sql, params)).rows,
    exec: async (sql: string) => {
      await conn.exec(sql);
    },
    transaction: async <T>(fn: (tx: Db) => Promise<T>): Promise<T> => {
      // PGlite has no nested transactions; a nested call simply joins the outer one.
      if (inTx) return fn(wrap(conn, true));
      return pg.transaction((tx) => fn(wrap(tx, true)));
    },
    close: async () => {
      if (!inTx && !pg.closed) await pg.close();
    },
  });
  return wrap(pg, false);
}

/** A pool on a PostgreSQL server. Connection errors surface on the next query, never as a crash. */
export async function openPostgres(url: string, onError: (e: unknown) => void): Promise<Db> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 5000, idleTimeoutMillis: 10_000 });
  // An idle client losing its server emits here; unhandled it would end the process.
  pool.on('error', onError);
  const client = await pool.connect();
  client.release();
  let closed = false;
  const db: Db = {
    engine: 'postgres',
    query: async <T extends Row>(sql: string, params?: unknown[]) => (await pool.query(sql, params)).rows as T[],
    exec: async (sql: string) => {
      await pool.query(sql);
    },
    transaction: async <T>(fn: (tx: Db) => Promise<T>): Promise<T> => {
      const c = await pool.connect();
      const tx: Db = {
        engine: 'postgres',
        query: async <R extends Row>(sql: string, params?: unknown[]) => (await c.query(sql, params)).rows as R[],
        exec: async (sql: string) => {
          await c.query(sql);
        },
        transaction: (inner) => inner(tx),
        close: async () => {},
      };
      let broken: Error | undefined;
      try {
        await c.query('BEGIN');
        const result = await fn(tx);
        await c.query('COMMIT');
        return result;
      } catch (e) {
        broken = e instanceof Error ? e : new Error(String(e));
        await c.query('ROLLBACK').catch(() => {});
        throw e;
      } finally {
        // A client whose transaction failed may be mid-protocol or dead: destroy it rather than reuse it.
        c.release(broken);
      }
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
  return db;
}
