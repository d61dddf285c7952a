/**
 * A cluster-wide "only one at a time" lock for background jobs, kept in PostgreSQL so it holds across
 * several service instances on one database (and works the same on the embedded PGlite).
 *
 * It is a lease on a `job_lock` row rather than a lock held by an open transaction: a pull spends minutes
 * talking to Autotask, and on the embedded database (one connection, transactions serialised) an open
 * transaction would stall every other request for that long. Acquiring is one short transaction:
 *
 *   SELECT ... FROM job_lock WHERE name = ? FOR UPDATE SKIP LOCKED   -- someone acquiring right now: skip
 *   UPDATE job_lock SET holder = ?, locked_until = now() + lease       -- only when free or expired
 *
 * The holder renews the lease while it works (`renew`), and releases it at the end. A crashed holder's
 * lease expires after `leaseSeconds`, so the job is never stuck. Times are the database's (`now()`), so
 * instances with skewed clocks agree. Lock rows are written with plain SQL: they are not audited.
 */
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';

@Entity({ tableName: 'job_lock' })
export class JobLock {
  @PrimaryKey({ type: 'text' })
  name: string;

  /** Who holds the lease (host:pid:random), null when free. */
  @Property({ type: 'text', nullable: true })
  holder: string | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  acquiredAt: Date | null = null;

  /** The lease ends here unless renewed; after it anyone may take the lock. */
  @Property({ type: 'timestamptz', nullable: true })
  lockedUntil: Date | null = null;

  constructor(name: string) {
    this.name = name;
  }
}

/** A unique holder name for one run in this process. */
export function newHolderId(): string {
  return `${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

export interface Lease {
  readonly name: string;
  readonly holder: string;
  /** Extends the lease; false when it was lost (expired and taken by someone else). */
  renew(): Promise<boolean>;
  /** Frees the lock (only if still ours). */
  release(): Promise<void>;
}

export type AcquireResult =
  | { readonly acquired: true; readonly lease: Lease }
  /** `holder`/`since` are null when another instance was acquiring at that very moment. */
  | { readonly acquired: false; readonly holder: string | null; readonly since: Date | null };

interface LockRow {
  holder: string | null;
  acquired_at: Date | string | null;
  held: boolean;
}

export async function tryAcquireLease(em: EntityManager, name: string, holder: string, leaseSeconds: number): Promise<AcquireResult> {
  const conn = em.fork();
  await conn.execute('insert into job_lock (name) values (?) on conflict (name) do nothing', [name]);
  const outcome = await conn.transactional(async (tx) => {
    const rows = (await tx.execute(
      'select holder, acquired_at, (locked_until is not null and locked_until > now()) as held from job_lock where name = ? for update skip locked',
      [name],
    )) as LockRow[];
    const row = rows[0];
    if (!row) return { acquired: false as const, holder: null, since: null };
    if (row.held) return { acquired: false as const, holder: row.holder, since: row.acquired_at ? new Date(row.acquired_at) : null };
    await tx.execute('update job_lock set holder = ?, acquired_at = now(), locked_until = now() + make_interval(secs => ?) where name = ?', [
      holder,
      leaseSeconds,
      name,
    ]);
    return { acquired: true as const };
  });
  if (!outcome.acquired) return outcome;
  return {
    acquired: true,
    lease: {
      name,
      holder,
      async renew() {
        const rows = (await em
          .fork()
          .execute('update job_lock set locked_until = now() + make_interval(secs => ?) where name = ? and holder = ? returning name', [
            leaseSeconds,
            name,
            holder,
          ])) as unknown[];
        return rows.length === 1;
      },
      async release() {
        await em.fork().execute('update job_lock set holder = null, locked_until = null where name = ? and holder = ?', [name, holder]);
      },
    },
  };
}
