/**
 * What only a shared PostgreSQL can show: one writer among several replicas, a takeover when the writer's
 * session dies, and a database that goes away under a running service and comes back.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { waitFor } from '../testing/net';
import { startPostgres, type PostgresServer } from '../testing/postgres';
import { available, beat, minutes, open, tr } from './store.suite';
import type { HistoryService } from './types';

let server: PostgresServer;
let n = 0;
before(async () => {
  server = await startPostgres();
});
after(async () => {
  await server?.cleanup();
});

async function sql<T extends pg.QueryResultRow>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const c = new pg.Client(url);
  await c.connect();
  try {
    return (await c.query<T>(text, params)).rows;
  } finally {
    await c.end();
  }
}

async function freshDatabase(): Promise<string> {
  const name = `w${++n}`;
  await sql(server.url, `CREATE DATABASE ${name}`);
  return server.url.replace(/\/[^/]+$/, `/${name}`);
}

const roles = (...hs: HistoryService[]) => hs.map((h) => h.status().role);

describe('several replicas on one PostgreSQL', () => {
  it('elect exactly one writer, write without duplicates, and hand over within 15 s when the writer session dies', async () => {
    const url = await freshDatabase();
    const a = open({ kind: 'postgres', url });
    await available(a);
    const b = open({ kind: 'postgres', url });
    try {
      await available(b);
      assert.deepEqual(roles(a, b), ['writer', 'reader']);

      // The recorder of each replica sees the same change; only the writer's record is kept.
      const t = tr('a.example', minutes(-5), 'healthy', 'down');
      for (const h of [a, b]) {
        h.record({ transitions: [t] });
        beat(h, -10, 0);
      }
      assert.equal(b.status().pending, 0, 'a reader queues nothing');
      await Promise.all([a.flush(), b.flush()]);
      const rows = await sql<{ n: number }>(url, 'SELECT count(*)::int AS n FROM transitions');
      assert.equal(rows[0]!.n, 1);
      assert.equal((await b.domain('a.example', { cluster: 'test', since: minutes(-60), until: minutes(0), limit: 10 }))?.transitions.length, 1);

      // Kill the writer's lock session: the lock frees and one of the two takes it within 15 s.
      const started = Date.now();
      const lockers = await sql<{ pid: number }>(
        url,
        "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
      );
      assert.equal(lockers.length, 1);
      await sql(url, 'SELECT pg_terminate_backend($1)', [lockers[0]!.pid]);
      await waitFor('a replica to take the writer lock back', async () => {
        const now = await sql<{ pid: number }>(url, "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted");
        return now.length === 1 && now[0]!.pid !== lockers[0]!.pid && roles(a, b).filter((r) => r === 'writer').length === 1;
      }, { timeoutMs: 15_000, intervalMs: 100 });
      assert.ok(Date.now() - started < 15_000);
      assert.deepEqual(roles(a, b).sort(), ['reader', 'writer']);

      // Close whichever writes now: the other becomes the writer.
      const [writer, reader] = a.status().role === 'writer' ? [a, b] : [b, a];
      const closedAt = Date.now();
      await writer.close();
      await waitFor('the reader to become the writer', () => reader.status().role === 'writer', { timeoutMs: 15_000, intervalMs: 50 });
      assert.ok(Date.now() - closedAt < 15_000);
      reader.record({ transitions: [t, tr('a.example', minutes(-1), 'down', 'healthy')] });
      await reader.flush();
      assert.equal((await sql<{ n: number }>(url, 'SELECT count(*)::int AS n FROM transitions'))[0]!.n, 2);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe('a database that fails under a running service', () => {
  for (const how of ['stop', 'kill'] as const) {
    it(`(${how}) makes it unavailable with the reason, never throws, and recovers by itself`, async () => {
      const url = await freshDatabase();
      const logs: string[] = [];
      const h = open({ kind: 'postgres', url }, { writerRetryMs: 200, log: (m) => logs.push(m) });
      try {
        await available(h);
        h.record({ transitions: [tr('a.example', minutes(-30), 'healthy', 'down')] });
        await h.flush();

        await server[how]();
        await waitFor('the store to notice', () => !h.status().available, { timeoutMs: 10_000, intervalMs: 20 });
        const s = h.status();
        assert.ok(s.reason && s.reason.length > 0, 'says why');
        assert.doesNotThrow(() => h.record({ transitions: [tr('a.example', minutes(-10), 'down', 'healthy')] }));
        assert.doesNotThrow(() => h.heartbeat('test', minutes(-10), true));
        assert.equal(await h.domain('a.example', { cluster: 'test', since: minutes(-60), until: minutes(0), limit: 10 }), undefined);
        assert.equal(await h.lastStates('test'), undefined);
        assert.equal(h.summaries('test'), undefined);
        await h.flush(); // resolves even though nothing can be written
        assert.ok(h.status().pending > 0, 'keeps the records for when the database is back');
        assert.match(h.status().reason ?? '', /:/);

        await server.start();
        await available(h);
        await h.flush();
        const d = await h.domain('a.example', { cluster: 'test', since: minutes(-60), until: minutes(0), limit: 10 });
        assert.deepEqual(
          d?.transitions.map((t) => t.to),
          ['down', 'healthy'],
        );
        assert.ok(logs.some((l) => l.startsWith('history unavailable: ')));
      } finally {
        await h.close();
      }
    });
  }
});
