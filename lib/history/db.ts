/**
 * The one seam between the history store and its two engines: PGlite (Postgres in WASM, embedded in a data
 * directory) and a real PostgreSQL through `pg`. Both speak the same SQL, so the store only needs rows
 * back from `$1`-parameterised queries, plain scripts, transactions and a close.
 */
import { mkdirSync } from 'node:fs';

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

/** Opens (creating when missing) an embedded PGlite database in `dataDir`. */
export async function openPglite(dataDir: string): Promise<Db> {
  mkdirSync(dataDir, { recursive: true });
  const { PGlite } = await import('@electric-sql/pglite');
  const pg = new PGlite(dataDir);
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
