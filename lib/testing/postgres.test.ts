import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import pg from 'pg';
import { findPostgresBin, startPostgres } from './postgres';

async function one(url: string): Promise<number> {
  const c = new pg.Client(url);
  await c.connect();
  try {
    return (await c.query<{ n: number }>('SELECT 1 AS n')).rows[0]!.n;
  } finally {
    await c.end();
  }
}

describe('startPostgres', () => {
  it('finds the newest installed version, and says clearly when none is installed', () => {
    const root = mkdtempSync(join(tmpdir(), 'pgroot-'));
    try {
      assert.throws(() => findPostgresBin(root), /PostgreSQL server binaries not found.*install the Debian package "postgresql"/);
      for (const v of ['9.6', '15', '13']) {
        mkdirSync(join(root, v, 'bin'), { recursive: true });
        for (const b of ['postgres', 'initdb']) writeFileSync(join(root, v, 'bin', b), '');
      }
      assert.equal(findPostgresBin(root), join(root, '15', 'bin'));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('starts a server on loopback with a database, stops, kills and restarts it, and cleans up', async () => {
    const server = await startPostgres();
    try {
      assert.match(server.url, /^postgres:\/\/postgres@127\.0\.0\.1:\d+\/chainboard_test$/);
      assert.equal(await one(server.url), 1);
      await server.stop();
      await assert.rejects(one(server.url), /ECONNREFUSED/);
      await server.start();
      assert.equal(await one(server.url), 1);
      const c = new pg.Client(server.url);
      c.on('error', () => {});
      await c.connect();
      await server.kill();
      await assert.rejects(c.query('SELECT 1'));
      await server.start();
      assert.equal(await one(server.url), 1);
    } finally {
      await server.cleanup();
    }
    assert.equal(existsSync(server.dir), false);
  });
});
