/** The job_lock lease (SELECT … FOR UPDATE SKIP LOCKED + lease): one holder at a time, on either database. */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { tryAcquireLease, type Lease } from '../../src/psa/job-lock.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { secondInstance } from './helpers/autotask-app.js';

let app: TestApp;
let em: EntityManager;
beforeAll(async () => {
  app = await startTestApp();
  em = app.database.orm.em.fork() as EntityManager;
});
afterAll(async () => {
  await app?.close();
});

async function holder(name: string): Promise<string | null> {
  const rows = (await em.fork().execute('select holder from job_lock where name = ?', [name])) as Array<{ holder: string | null }>;
  return rows[0]?.holder ?? null;
}

test('one holder at a time; the others learn who holds it and since when; release frees it', async () => {
  const a = await tryAcquireLease(em, 'job-a', 'instance-1', 60);
  expect(a.acquired).toBe(true);
  const b = await tryAcquireLease(em, 'job-a', 'instance-2', 60);
  expect(b).toMatchObject({ acquired: false, holder: 'instance-1' });
  expect(b.acquired === false && b.since).toBeInstanceOf(Date);
  // Another job name is independent.
  expect((await tryAcquireLease(em, 'job-b', 'instance-2', 60)).acquired).toBe(true);
  await (a as { lease: Lease }).lease.release();
  expect(await holder('job-a')).toBeNull();
  expect((await tryAcquireLease(em, 'job-a', 'instance-2', 60)).acquired).toBe(true);
});

test('twenty attempts at once, from two instances: exactly one wins', async () => {
  const second = await secondInstance(app);
  try {
    const ems = [em, second.orm.em.fork() as EntityManager];
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => tryAcquireLease(ems[i % 2]!, 'job-race', `contender-${i}`, 60)));
    const winners = results.filter((r) => r.acquired);
    expect(winners).toHaveLength(1);
    expect(await holder('job-race')).toBe((winners[0] as { lease: Lease }).lease.holder);
  } finally {
    await second.close();
  }
});

test('an expired lease can be taken over; the old holder then fails to renew and cannot release it', async () => {
  const first = await tryAcquireLease(em, 'job-expiring', 'crashed', 0.2);
  expect(first.acquired).toBe(true);
  expect((await tryAcquireLease(em, 'job-expiring', 'late', 60)).acquired).toBe(false);
  await new Promise((r) => setTimeout(r, 300));
  const takeover = await tryAcquireLease(em, 'job-expiring', 'successor', 60);
  expect(takeover.acquired).toBe(true);
  const old = (first as { lease: Lease }).lease;
  expect(await old.renew()).toBe(false);
  await old.release();
  expect(await holder('job-expiring')).toBe('successor');
  expect(await (takeover as { lease: Lease }).lease.renew()).toBe(true);
});
