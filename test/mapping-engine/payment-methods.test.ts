/**
 * Payments send a method QuickBooks knows: the connector's PaymentMethod list is mirrored by the list sync,
 * a payment's method goes by its ListID, and a method QuickBooks does not have fails before sending (instead
 * of QuickBooks' 3140 after it).
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Payment } from '../../src/modules/autotask/payment.entity.js';
import { TransferItem } from '../../src/modules/transfer/transfer-item.entity.js';
import { TransferEntityType } from '../../src/modules/transfer/transfer-state.js';
import { QueueTransfersDocument } from '../generated/graphql.js';
import { billingQuickBooks, mapBillingValues, startListSyncingApp, pushInvoices, pushOrganization, pushPayment } from '../helpers/billing-fixture.js';
import { createConnector, register, update, type Fixture } from '../helpers/qbwc-fixture.js';
import type { TestApp } from '../helpers/test-app.js';

let app: TestApp;
let fixture: Fixture;

beforeAll(async () => {
  ({ app, fixture } = await startListSyncingApp());
});
afterAll(async () => {
  await app?.close();
});

test('a known payment method is sent by ListID; an unknown one fails before sending', async () => {
  const connectorId = await createConnector(app, fixture, 'Payment Books');
  const qwc = (await register(app, fixture, connectorId)).qwc;
  await mapBillingValues(app, fixture.adminToken, connectorId);
  const qb = billingQuickBooks('Payment Books');
  const em = app.database.orm.em.fork();
  await pushOrganization(em, 401, 'Tailspin');
  const invoiceIds = await pushInvoices(em, 401, [9401, 9402]);
  expect((await app.gql(QueueTransfersDocument, { input: { entityType: 'INVOICE', entityIds: invoiceIds } }, fixture.adminToken)).errors).toBeUndefined();
  const first = await update(qwc, qb);
  expect(first.lastError).toBeUndefined();
  expect(first.requests.join('\n')).toContain('PaymentMethodQueryRq');
  expect(qb.company.invoices).toHaveLength(2);

  const check = await pushPayment(em, 'pay-check', 9401, '100.00');
  const bitcoin = await pushPayment(em, 'pay-bitcoin', 9402, '50.00');
  await em.nativeUpdate(Payment, { id: bitcoin }, { paymentMethod: 'Bitcoin' });
  await em.nativeUpdate(Payment, { id: check }, { paymentMethod: 'check' }); // QuickBooks compares names case-insensitively
  expect((await app.gql(QueueTransfersDocument, { input: { entityType: 'PAYMENT', entityIds: [check, bitcoin] } }, fixture.adminToken)).errors).toBeUndefined();
  const second = await update(qwc, qb);
  expect(second.lastError).toBeUndefined();

  const checkMethod = qb.company.paymentMethods.find((m) => m.name === 'Check')!;
  expect(qb.company.receivePayments.map((p) => p.paymentMethodId)).toEqual([checkMethod.listId]);
  const sent = second.requests.join('\n');
  expect(sent).toContain(`<PaymentMethodRef><ListID>${checkMethod.listId}</ListID></PaymentMethodRef>`);
  expect(sent).not.toContain('Bitcoin');
  const failed = await app.database.orm.em.fork().findOneOrFail(TransferItem, { entityType: TransferEntityType.PAYMENT, entityId: bitcoin });
  expect(failed).toMatchObject({ state: 'FAILED', qbStatusCode: 'DATA_PROBLEMS' });
  expect(failed.qbStatusMessage).toContain('paymentMethod: QuickBooks has no payment method "Bitcoin"');
});
