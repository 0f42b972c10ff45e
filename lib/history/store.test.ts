import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { startPostgres, type PostgresServer } from '../testing/postgres';
import { openPglite, openPostgres } from './db';
import { migrate } from './migrations';
import { open, storeSuite, tr, minutes } from './store.suite';

const CTX = { defaultCluster: 'test' };

const dir = mkdtempSync(join(tmpdir(), 'chainboard-history-'));
let n = 0;
after(() => rmSync(dir, { recursive: true, force: true }));

storeSuite('PGlite', async () => ({ kind: 'pglite', dataDir: join(dir, `db-${++n}`) }));

let server: PostgresServer | undefined;
before(async () => {
  server = await startPostgres();
});
after(async () => {
  await server?.cleanup();
});

/** A new, empty database on the shared server. */
async function freshDatabase(): Promise<string> {
  const name = `h${++n}`;
  const admin = new pg.Client(server!.url);
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return server!.url.replace(/\/[^/]+$/, `/${name}`);
}

storeSuite('PostgreSQL', async () => ({ kind: 'postgres', url: await freshDatabase() }));

describe('migrations', () => {
  it('apply once: a second start applies nothing (PGlite)', async () => {
    const dataDir = join(dir, `m-${++n}`);
    const db = await openPglite(dataDir);
    assert.deepEqual(await migrate(db, CTX), [1, 2]);
    assert.deepEqual(await migrate(db, CTX), []);
    await db.close();
    const again = await openPglite(dataDir);
    assert.deepEqual(await migrate(again, CTX), []);
    assert.equal((await again.query('SELECT count(*)::int AS n FROM schema_migrations'))[0]!.n, 2);
    await again.close();
  });

  it('two processes migrating one PostgreSQL together both succeed, and it is applied once', async () => {
    const url = await freshDatabase();
    const [a, b] = await Promise.all([openPostgres(url, () => {}), openPostgres(url, () => {})]);
    const results = await Promise.all([migrate(a, CTX), migrate(b, CTX)]);
    assert.deepEqual(results.flat(), [1, 2]);
    assert.deepEqual(await migrate(a, CTX), []);
    await Promise.all([a.close(), b.close()]);
  });

  it('two services starting together on one PostgreSQL both become available', async () => {
    const url = await freshDatabase();
    const logs: string[] = [];
    const a = open({ kind: 'postgres', url }, { log: (m) => logs.push(m) });
    const b = open({ kind: 'postgres', url }, { log: (m) => logs.push(m) });
    try {
      assert.ok(await a.lastStates('test'));
      assert.ok(await b.lastStates('test'));
      // Each migration is applied by one of them (which one may differ per migration).
      const applied = logs.flatMap((l) => /applied migrations (.*)/.exec(l)?.[1]?.split(', ') ?? []);
      assert.deepEqual(applied.sort(), ['1', '2']);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe('an unusable PGlite directory', () => {
  it('makes the store unavailable with the reason; record() never throws, reads are undefined, the queue is bounded', async () => {
    const file = join(dir, `not-a-dir-${++n}`);
    writeFileSync(file, 'x');
    const h = open({ kind: 'pglite', dataDir: file }, { maxPending: 10 });
    try {
      assert.equal(await h.domain('a.example', { cluster: 'test', since: minutes(-60), until: minutes(0), limit: 10 }), undefined);
      const s = h.status();
      assert.equal(s.available, false);
      assert.match(s.reason ?? '', /^opening .*not-a-dir.*: /);
      h.record({ transitions: Array.from({ length: 25 }, (_, i) => tr('a.example', minutes(-i), 'healthy', 'down')) });
      assert.equal(h.status().pending, 10);
      assert.equal(h.status().dropped, 15);
      await h.flush();
      assert.equal(h.summaries('test'), undefined);
      assert.equal(await h.lastStates('test'), undefined);
    } finally {
      await h.close();
    }
  });

  it('refuses a second service on one data directory', async () => {
    const dataDir = join(dir, `shared-${++n}`);
    const a = open({ kind: 'pglite', dataDir });
    const b = open({ kind: 'pglite', dataDir });
    try {
      assert.ok(await a.lastStates('test'));
      assert.equal(await b.lastStates('test'), undefined);
      assert.match(b.status().reason ?? '', /already open in this process/);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
