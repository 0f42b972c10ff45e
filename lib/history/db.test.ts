import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openPglite } from './db';

test('a new embedded store is created by initdb in a child process and opened with small shared buffers', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'chainboard-db-'));
  const logs: string[] = [];
  try {
    const db = await openPglite(join(dir, 'data'), (m) => logs.push(m));
    assert.equal(logs.join('\n'), '', 'the child ran initdb: no fallback to the process itself');
    assert.ok(existsSync(join(dir, 'data', 'PG_VERSION')));
    assert.deepEqual(await db.query('SHOW shared_buffers'), [{ shared_buffers: '16MB' }]);
    await db.exec('CREATE TABLE t (a int)');
    await db.close();
    // Opened again: no initdb, the table is there.
    const again = await openPglite(join(dir, 'data'), (m) => logs.push(m));
    assert.deepEqual(await again.query('SELECT count(*)::int AS n FROM t'), [{ n: 0 }]);
    await again.close();
    assert.equal(logs.join('\n'), '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
