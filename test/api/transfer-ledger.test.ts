/**
 * The transfer ledger's state machine, driven directly through its service functions (as the Web
 * Connector engine will): every legal and illegal transition, the numbered history, idempotent enqueueing.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { AppError } from '../../src/errors/app-error.js';
import { asActor, type Actor } from '../../src/modules/audit/actor.js';
import { Connector } from '../../src/modules/connector/connector.entity.js';
import { TransferAttempt, TransferItem } from '../../src/modules/transfer/transfer-item.entity.js';
import { TransferEntityType, TransferState } from '../../src/modules/transfer/transfer-state.js';
import {
  cancel,
  enqueue,
  markFailed,
  markNeedsReconcile,
  markSent,
  markSucceeded,
  retry,
} from '../../src/modules/transfer/transfer-ledger.js';

const ann: Actor = { id: 'usr_ann', name: 'Ann' };
const bob: Actor = { id: 'usr_bob', name: 'Bob' };

const ACTIONS = {
  markSent: (item: TransferItem) => markSent(item, { requestId: 'req-1', ticket: 'ticket-1' }),
  markSucceeded: (item: TransferItem) => markSucceeded(item, { txnId: '1F-1', refNumber: '1001', editSequence: '1', statusCode: '0', message: 'Status OK' }),
  markFailed: (item: TransferItem) => markFailed(item, { statusCode: '3140', message: 'Invalid reference', hint: 'Map the item' }),
  markNeedsReconcile: (item: TransferItem) => markNeedsReconcile(item, { reason: 'response lost' }),
  retry: (item: TransferItem) => retry(item, ann),
  cancel: (item: TransferItem) => cancel(item, ann),
} as const;
type ActionName = keyof typeof ACTIONS;

/** Every legal transition and the state it leads to; everything else must be refused. */
const LEGAL: Record<TransferState, Partial<Record<ActionName, TransferState>>> = {
  [TransferState.QUEUED]: { markSent: TransferState.SENT, markFailed: TransferState.FAILED, cancel: TransferState.CANCELLED },
  [TransferState.SENT]: { markSucceeded: TransferState.SUCCEEDED, markFailed: TransferState.FAILED, markNeedsReconcile: TransferState.NEEDS_RECONCILE },
  [TransferState.SUCCEEDED]: {},
  [TransferState.FAILED]: { retry: TransferState.QUEUED, cancel: TransferState.CANCELLED },
  [TransferState.NEEDS_RECONCILE]: { retry: TransferState.QUEUED, cancel: TransferState.CANCELLED },
  [TransferState.CANCELLED]: { retry: TransferState.QUEUED },
};

let app: TestApp;
let main: Connector;
let other: Connector;
beforeAll(async () => {
  // Also before the in-memory tests: collections need the ORM's entity metadata.
  app = await startTestApp();
  const em = app.database.orm.em.fork();
  main = new Connector('Main');
  main.isDefault = true;
  other = new Connector('Other');
  await asActor({ id: 'test', name: 'seed' }, () => em.persist([main, other]).flush());
});
afterAll(async () => {
  await app?.close();
});

describe('every transition, in memory', () => {
  const connector = new Connector('In memory');
  for (const state of Object.values(TransferState)) {
    for (const name of Object.keys(ACTIONS) as ActionName[]) {
      const target = LEGAL[state][name];
      test(`${state} → ${name}: ${target ?? 'refused'}`, () => {
        const item = new TransferItem(connector, TransferEntityType.INVOICE, 'inv_x');
        item.state = state;
        item.stepCount = 3;
        if (target) {
          const attempt = ACTIONS[name](item);
          expect(item.state).toBe(target);
          expect(attempt).toMatchObject({ number: 4, state: target });
          expect(item.stepCount).toBe(4);
          expect(item.attemptCount).toBe(name === 'markSent' ? 1 : 0);
        } else {
          let error: unknown;
          try {
            ACTIONS[name](item);
          } catch (e) {
            error = e;
          }
          expect(error).toBeInstanceOf(AppError);
          expect(error).toMatchObject({ code: 'TRANSFER_STATE_CONFLICT', graphqlCode: 'CONFLICT' });
          expect((error as Error).message).toContain(`the transfer of INVOICE inv_x (${item.id}): it is ${state}`);
          // Refused means untouched.
          expect(item).toMatchObject({ state, stepCount: 3, attemptCount: 0 });
        }
      });
    }
  }

  test('refusals say what to do instead', () => {
    const item = new TransferItem(connector, TransferEntityType.INVOICE, 'inv_y');
    item.state = TransferState.SUCCEEDED;
    expect(() => retry(item, ann)).toThrow(/SUCCEEDED; it is already in QuickBooks and sending it again would create a duplicate/);
    expect(() => cancel(item, ann)).toThrow(/void or delete it in QuickBooks/);
    item.state = TransferState.SENT;
    expect(() => cancel(item, ann)).toThrow(/it is SENT; QuickBooks already has the request, so it can no longer be withdrawn; wait for its answer\./);
    item.state = TransferState.FAILED;
    expect(() => markSent(item, { requestId: 'r', ticket: 't' })).toThrow(/it is FAILED; only a QUEUED item can be sent; retry it first\./);
    item.state = TransferState.QUEUED;
    expect(() => retry(item, ann)).toThrow(/it is QUEUED; it is already waiting for the next Web Connector run/);
  });
});

describe('through the database', () => {
  /** Loads the row in a fresh EntityManager, applies `change`, and flushes, like one engine step. */
  async function step(id: string, change: (item: TransferItem) => unknown): Promise<TransferItem> {
    const em = app.database.orm.em.fork();
    const item = await em.findOneOrFail(TransferItem, { id });
    change(item);
    await asActor(ann, () => em.flush());
    return item;
  }

  async function queue(entityId: string, actor: Actor = ann, connector = main): Promise<TransferItem> {
    const em = app.database.orm.em.fork();
    const item = await enqueue(em, { connector: em.getReference(Connector, connector.id), entityType: TransferEntityType.INVOICE, entityId, actor });
    await asActor(actor, () => em.flush());
    return item;
  }

  async function history(id: string): Promise<Array<Pick<TransferAttempt, 'number' | 'state' | 'actor' | 'qbStatusCode' | 'requestId'>>> {
    const attempts = await app.database.orm.em.fork().find(TransferAttempt, { item: id }, { orderBy: { number: 'asc' } });
    return attempts.map(({ number, state, actor, qbStatusCode, requestId }) => ({ number, state, actor, qbStatusCode, requestId }));
  }

  async function reload(id: string): Promise<TransferItem> {
    return app.database.orm.em.fork().findOneOrFail(TransferItem, { id });
  }

  test('enqueue creates a QUEUED row with its first history step; again, it returns that row unchanged', async () => {
    const item = await queue('inv_a');
    expect(item).toMatchObject({ state: TransferState.QUEUED, attemptCount: 0, queuedBy: 'Ann', stepCount: 1 });
    const again = await queue('inv_a', bob);
    expect(again.id).toBe(item.id);
    expect(await reload(item.id)).toMatchObject({ state: TransferState.QUEUED, queuedBy: 'Ann', stepCount: 1 });
    expect(await history(item.id)).toEqual([{ number: 1, state: 'QUEUED', actor: 'Ann', qbStatusCode: null, requestId: null }]);
    // The same entity for another connector is a separate row.
    const elsewhere = await queue('inv_a', ann, other);
    expect(elsewhere.id).not.toBe(item.id);
    expect(await app.database.orm.em.fork().count(TransferItem, { entityId: 'inv_a' })).toBe(2);
  });

  test('a failure, a re-queue and a success: numbered history, attemptCount counts sends only, QuickBooks ids kept', async () => {
    const { id } = await queue('inv_b');
    const sent = await step(id, (i) => markSent(i, { requestId: 'req-7', ticket: 'tkt-1' }));
    expect(sent).toMatchObject({ state: TransferState.SENT, attemptCount: 1, requestId: 'req-7', ticket: 'tkt-1' });
    expect(sent.sentAt).toBeInstanceOf(Date);
    // SENT, SUCCEEDED and NEEDS_RECONCILE rows are never re-queued by enqueue.
    expect((await queue('inv_b', bob)).state).toBe(TransferState.SENT);

    const failed = await step(id, (i) => markFailed(i, { statusCode: '3140', message: 'There is an invalid reference to QuickBooks Item "Labor"', hint: 'Map the work type' }));
    expect(failed).toMatchObject({ state: TransferState.FAILED, qbStatusCode: '3140', hint: 'Map the work type', attemptCount: 1 });
    expect(failed.finishedAt).toBeInstanceOf(Date);

    const requeued = await queue('inv_b', bob);
    expect(requeued).toMatchObject({ id, state: TransferState.QUEUED, queuedBy: 'Bob', hint: null, finishedAt: null, attemptCount: 1 });

    await step(id, (i) => markSent(i, { requestId: 'req-9', ticket: 'tkt-2' }));
    const done = await step(id, (i) =>
      markSucceeded(i, { txnId: '1A2B-1711111111', refNumber: '1001', editSequence: '1711111111', statusCode: '0', message: 'Status OK' }),
    );
    expect(done).toMatchObject({
      state: TransferState.SUCCEEDED, attemptCount: 2, qbTxnId: '1A2B-1711111111', qbRefNumber: '1001', qbEditSequence: '1711111111',
      qbListId: null, qbStatusCode: '0', qbStatusMessage: 'Status OK', hint: null, reconcileBeforeSend: false,
    });
    expect((await queue('inv_b', bob)).state).toBe(TransferState.SUCCEEDED);

    expect(await history(id)).toEqual([
      { number: 1, state: 'QUEUED', actor: 'Ann', qbStatusCode: null, requestId: null },
      { number: 2, state: 'SENT', actor: 'Web Connector', qbStatusCode: null, requestId: 'req-7' },
      { number: 3, state: 'FAILED', actor: 'Web Connector', qbStatusCode: '3140', requestId: null },
      { number: 4, state: 'QUEUED', actor: 'Bob', qbStatusCode: null, requestId: null },
      { number: 5, state: 'SENT', actor: 'Web Connector', qbStatusCode: null, requestId: 'req-9' },
      { number: 6, state: 'SUCCEEDED', actor: 'Web Connector', qbStatusCode: '0', requestId: null },
    ]);
  });

  test('an unknown outcome is never re-sent blindly: enqueue leaves it, retry re-queues it for a QuickBooks look-up first', async () => {
    const { id } = await queue('inv_c');
    await step(id, (i) => markSent(i, { requestId: 'req-1', ticket: 'tkt' }));
    const unknown = await step(id, (i) => markNeedsReconcile(i, { reason: 'The Web Connector reported a timeout before QuickBooks answered' }));
    expect(unknown).toMatchObject({ state: TransferState.NEEDS_RECONCILE, reconcileBeforeSend: true, finishedAt: null });
    expect(unknown.hint).toContain('looked up in QuickBooks');
    expect((await queue('inv_c', bob)).state).toBe(TransferState.NEEDS_RECONCILE);

    const retried = await step(id, (i) => retry(i, bob));
    expect(retried).toMatchObject({ state: TransferState.QUEUED, reconcileBeforeSend: true, attemptCount: 1 });
    // Cancelled and queued again later, it still knows to look QuickBooks up first.
    await step(id, (i) => cancel(i, ann));
    expect(await queue('inv_c', bob)).toMatchObject({ state: TransferState.QUEUED, reconcileBeforeSend: true });
    expect((await history(id)).map((h) => `${h.number}:${h.state}:${h.actor}`)).toEqual([
      '1:QUEUED:Ann', '2:SENT:Web Connector', '3:NEEDS_RECONCILE:Web Connector', '4:QUEUED:Bob', '5:CANCELLED:Ann', '6:QUEUED:Bob',
    ]);
  });

  test('failing before anything was sent (e.g. a missing mapping) is not an attempt; cancel and retry record the person', async () => {
    const { id } = await queue('inv_d');
    const failed = await step(id, (i) => markFailed(i, { statusCode: null, message: 'No QuickBooks item is mapped for work type "Onsite"', hint: 'Map it, then retry' }));
    expect(failed).toMatchObject({ state: TransferState.FAILED, attemptCount: 0, qbStatusCode: null });
    const cancelled = await step(id, (i) => cancel(i, bob));
    expect(cancelled).toMatchObject({ state: TransferState.CANCELLED, hint: null });
    expect(cancelled.finishedAt).toBeInstanceOf(Date);
    await expect(step(id, (i) => cancel(i, bob))).rejects.toMatchObject({ code: 'TRANSFER_STATE_CONFLICT' });
    await step(id, (i) => retry(i, ann));
    expect((await history(id)).map((h) => `${h.state}:${h.actor}`)).toEqual(['QUEUED:Ann', 'FAILED:Web Connector', 'CANCELLED:Bob', 'QUEUED:Ann']);
    expect(await reload(id)).toMatchObject({ state: TransferState.QUEUED, stepCount: 4, finishedAt: null });
  });
});
