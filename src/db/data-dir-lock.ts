/**
 * One process per data directory: PGlite itself would happily let two processes open the same files
 * and corrupt them. proper-lockfile keeps a lock directory whose mtime it refreshes; a lock left by a
 * crashed process goes stale after `STALE_MS` and is taken over.
 */
import fs from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { AppError } from '../errors/app-error.js';

const STALE_MS = 15_000;

export const LOCK_NAME = 'qbd-bridge.lock';

/** Takes the lock or throws DATA_DIR_LOCKED; resolves to the release function. */
export async function lockDataDir(dataDir: string, onCompromised: (err: Error) => void): Promise<() => Promise<void>> {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const lockfilePath = path.join(dataDir, LOCK_NAME);
  try {
    return await lockfile.lock(dataDir, { lockfilePath, stale: STALE_MS, update: STALE_MS / 3, realpath: false, onCompromised });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOCKED') {
      throw new AppError(
        'DATA_DIR_LOCKED',
        `The data directory ${dataDir} is in use by another qbd-bridge process. ` +
          'Stop that process first, or start this one with another DATA_DIR, or use a PostgreSQL server (DATABASE_URL).',
        { cause: error },
      );
    }
    throw error;
  }
}

/** True when a live process holds the lock. */
export async function isDataDirLocked(dataDir: string): Promise<boolean> {
  if (!fs.existsSync(dataDir)) return false;
  return lockfile.check(dataDir, { lockfilePath: path.join(dataDir, LOCK_NAME), stale: STALE_MS, realpath: false });
}
