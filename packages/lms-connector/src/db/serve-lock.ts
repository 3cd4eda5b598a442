import fs from 'node:fs';
import path from 'node:path';
import { dialectOf, sqlitePath } from './connection';

export class ServeLockError extends Error {
  readonly code = 'DATABASE_LOCKED';
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the lock file `<database>.serve.lock` that allows one `serve` process per SQLite file, and
 * returns the function that releases it. SQLite has one writer at a time, so a second process would
 * only wait on the first and log "database is locked". One-shot commands (keys, mappings import) do
 * not take the lock. A lock left by a process that no longer runs, or that names this process's own
 * id (a container restarted with the same pid), is taken over. PostgreSQL needs no lock.
 */
export function acquireServeLock(databaseUrl: string | undefined): () => void {
  if (dialectOf(databaseUrl) !== 'sqlite') return () => undefined;
  const file = sqlitePath(databaseUrl);
  if (file === ':memory:') return () => undefined;

  const lockFile = `${path.resolve(file)}.serve.lock`;
  fs.mkdirSync(path.dirname(lockFile), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      fs.writeFileSync(lockFile, `${process.pid}\n`, { flag: 'wx' });
      return () => {
        // Only remove a lock this process still owns.
        if (fs.existsSync(lockFile) && fs.readFileSync(lockFile, 'utf8').trim() === String(process.pid)) fs.rmSync(lockFile, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number.parseInt(fs.readFileSync(lockFile, 'utf8').trim(), 10);
    if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && processAlive(owner)) {
      throw new ServeLockError(
        `Another skill-connector serve (pid ${owner}) already uses the SQLite database ${path.resolve(file)}; stop it first, or use PostgreSQL to run several processes. If no such process runs, delete ${lockFile}.`,
      );
    }
    fs.rmSync(lockFile, { force: true });
  }
  throw new ServeLockError(`Could not take the lock ${lockFile}; another serve process is starting on the same SQLite database. Start one process only.`);
}
