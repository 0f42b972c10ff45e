/**
 * The history schema as numbered migrations, applied in order at start. Each runs in its own transaction
 * under a transaction-scoped advisory lock, so two processes starting together on one PostgreSQL apply it
 * once between them (the second waits, then sees the version recorded and skips it). PGlite honours the
 * same lock trivially, so one code path serves both engines.
 *
 * Every table is keyed by `cluster` first, so several clusters share a database. A migration is SQL, or
 * a step that also reads the configuration (`MigrationContext`): which cluster a single-cluster store's
 * rows belong to is a setting, not a constant.
 */
import type { Db } from './db';
import { storedClusters } from './writer';

/** The advisory lock key migrations run under ("chainboard migrate"). */
const MIGRATE_LOCK = 0x43_42_4d_47;

/** What a migration may need of the configuration. */
export interface MigrationContext {
  /** The first configured cluster (`HistoryServiceOptions.defaultCluster`). */
  defaultCluster: string;
}

export interface Migration {
  version: number;
  name: string;
  sql?: string;
  /** A step run after `sql`, in the same transaction. */
  run?: (tx: Db, ctx: MigrationContext) => Promise<void>;
}

/** Every table with a `cluster` column. */
const CLUSTER_TABLES = ['transitions', 'changes', 'change_hosts', 'coverage', 'meta'] as const;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'transitions, changes, coverage, meta',
    sql: `
CREATE TABLE transitions (
  id bigserial PRIMARY KEY,
  cluster text NOT NULL,
  host text NOT NULL,
  namespace text NOT NULL,
  at timestamptz NOT NULL,
  from_state text NOT NULL,
  to_state text NOT NULL,
  codes text[] NOT NULL DEFAULT '{}',
  message text
);
-- The same transition recorded twice (a retried batch, a writer takeover) is stored once.
CREATE UNIQUE INDEX transitions_host_at ON transitions (cluster, host, at, to_state);
CREATE INDEX transitions_ns_at ON transitions (cluster, namespace, at);
CREATE INDEX transitions_at ON transitions (cluster, at);

CREATE TABLE changes (
  id bigserial PRIMARY KEY,
  cluster text NOT NULL,
  namespace text NOT NULL,
  kind text NOT NULL,
  name text NOT NULL,
  at timestamptz NOT NULL,
  action text NOT NULL,
  hosts text[] NOT NULL DEFAULT '{}',
  lines text[] NOT NULL DEFAULT '{}',
  helm_release text,
  helm_revision text
);
CREATE INDEX changes_ns_at ON changes (cluster, namespace, at);
CREATE INDEX changes_at ON changes (cluster, at);

-- One row per host a change touched, so "the changes of host X" is an index range, not an array scan.
CREATE TABLE change_hosts (
  cluster text NOT NULL,
  host text NOT NULL,
  at timestamptz NOT NULL,
  change_id bigint NOT NULL REFERENCES changes (id) ON DELETE CASCADE,
  PRIMARY KEY (cluster, host, at, change_id)
);
CREATE INDEX change_hosts_change ON change_hosts (change_id);

-- Spans while Chainboard ran synced; outside them the time is no-data. Keyed by start so re-writing a
-- span's end is an idempotent upsert.
CREATE TABLE coverage (
  cluster text NOT NULL,
  start_at timestamptz NOT NULL,
  end_at timestamptz NOT NULL,
  open boolean NOT NULL DEFAULT true,
  PRIMARY KEY (cluster, start_at)
);

CREATE TABLE meta (
  cluster text NOT NULL,
  key text NOT NULL,
  value text NOT NULL,
  PRIMARY KEY (cluster, key)
);
`,
  },
  {
    version: 2,
    name: 'a single-cluster store belongs to the default cluster',
    // Before several clusters were recorded, one cluster was, under CHAINBOARD_CLUSTER_NAME. When that
    // is still the first cluster's name nothing changes; when the clusters are now named otherwise
    // (CHAINBOARD_CONTEXTS=eu=...,us=...) the rows are the first cluster's, as the configuration names
    // it, so its since/uptime and past carry on instead of sitting under a name no page asks for.
    async run(tx, ctx) {
      const rows = await storedClusters(tx);
      const only = rows.length === 1 ? rows[0] : undefined;
      if (only === undefined || only === ctx.defaultCluster) return;
      // change_hosts references changes by id only, so the order of the updates does not matter.
      for (const table of CLUSTER_TABLES) await tx.query(`UPDATE ${table} SET cluster = $1 WHERE cluster = $2`, [ctx.defaultCluster, only]);
    },
  },
];

/** Applies the migrations not applied yet; returns the versions it applied. */
export async function migrate(db: Db, ctx: MigrationContext, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  const applied: number[] = [];
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATE_LOCK]);
    await tx.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
    );
  });
  for (const m of migrations) {
    await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATE_LOCK]);
      const done = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [m.version]);
      if (done.length > 0) return;
      if (m.sql) await tx.exec(m.sql);
      if (m.run) await m.run(tx, ctx);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      applied.push(m.version);
    });
  }
  return applied;
}
