/**
 * Backing up and restoring the control plane's etcd, as a disaster recovery does. The backup is cold:
 * etcd is stopped for the copy of its data folder, which then holds exactly what `etcdctl snapshot
 * save` would (the build cache has no etcdctl or etcdutl). The restore puts the copy back with
 * kube-apiserver and etcd stopped and starts both again, without `etcdutl snapshot restore
 * --bump-revision`: revisions go back to the backup's, below those every client of the cluster holds.
 *
 * @see https://kubernetes.io/docs/tasks/administer-cluster/configure-upgrade-etcd/#backing-up-an-etcd-cluster
 * @see https://kubernetes.io/docs/tasks/administer-cluster/configure-upgrade-etcd/#restoring-an-etcd-cluster
 */
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startApiServer, startEtcd, type Launch } from './components';

let backups = 0;

/** etcd's data folder (see startEtcd). */
const dataDir = (l: Launch) => join(l.dir, 'etcd');

/**
 * Stops etcd (kube-apiserver waits for it meanwhile), copies its data folder, and starts it again on
 * the same folder. Returns the backup's path.
 */
export async function backupEtcd(l: Launch): Promise<string> {
  const backup = join(l.dir, `etcd-backup-${++backups}`);
  await l.procs.stop('etcd', 10_000, 'SIGTERM');
  try {
    cpSync(dataDir(l), backup, { recursive: true });
  } finally {
    await startEtcd(l);
  }
  l.log(`etcd backed up to ${backup}`);
  return backup;
}

/** Stops kube-apiserver and etcd, puts `backup` in place of etcd's data, starts etcd, then kube-apiserver (waiting for /readyz). */
export async function restoreEtcd(l: Launch, backup: string): Promise<void> {
  await l.procs.stop('kube-apiserver', 5_000, 'SIGTERM');
  await l.procs.stop('etcd', 10_000, 'SIGTERM');
  rmSync(dataDir(l), { recursive: true, force: true });
  cpSync(backup, dataDir(l), { recursive: true });
  await startEtcd(l);
  await startApiServer(l);
  l.log(`etcd restored from ${backup}`);
}
