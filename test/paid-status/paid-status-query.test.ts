/** The paid-status check's qbXML against Intuit's schema, reading answers, and when a check is due. */
import { describe, expect, test } from 'vitest';
import { buildRequestMessage } from '../../src/qbxml/index.js';
import { rulesSchemaModel } from '../../src/qbxml/rules-model.js';
import {
  INVOICE_FIELDS,
  invoicesByIdQuery,
  modifiedInvoicesQuery,
  modifiedPaymentsQuery,
  PAYMENT_FIELDS,
  readInvoiceRows,
  readPaymentRows,
} from '../../src/modules/paid-status/paid-status-query.js';
import { PaidStatusOutcome, PaidStatusSync } from '../../src/modules/paid-status/paid-status-sync.entity.js';
import { paidStatusDueReason } from '../../src/modules/paid-status/paid-status.source.js';
import type { Connector } from '../../src/modules/connector/connector.entity.js';
import { validator } from '../helpers/spec.js';

describe.each(['130', '160'] as const)('qbXML schema set %s', (set) => {
  const model = rulesSchemaModel(set);
  test.each([
    ['InvoiceQueryRs', 'InvoiceRet', INVOICE_FIELDS],
    ['ReceivePaymentQueryRs', 'ReceivePaymentRet', PAYMENT_FIELDS],
  ] as const)('every IncludeRetElement of the %s names a %s field', (rs, ret, fields) => {
    const element = model.resolve(['QBXML', 'QBXMLMsgsRs', rs, ret]);
    expect(element).toBeDefined();
    for (const name of fields) expect(element!.child(name), `${ret}/${name}`).toBeDefined();
    expect(element!.child('NotAField')).toBeUndefined();
  });
});

test.each(['13.0', '16.0'])('every query the check sends is valid qbXML %s', (version) => {
  const base = { version, pageSize: 200 };
  const requests = [
    modifiedInvoicesQuery({ ...base, requestId: 'inv:first', fromModifiedDate: '2026-11-24' }),
    modifiedInvoicesQuery({ ...base, requestId: 'inv:incremental', fromModifiedDate: '2026-11-25T10:01:12-05:00' }),
    modifiedInvoicesQuery({ ...base, requestId: 'inv:continue', fromModifiedDate: '2026-11-25T10:01:12-05:00', iteratorId: '{0C1A5B1E-1111-4222-8333-944455556666}' }),
    modifiedInvoicesQuery({ ...base, requestId: 'inv:all', fromModifiedDate: null }),
    modifiedPaymentsQuery({ ...base, requestId: 'pay', fromModifiedDate: '2026-11-25T10:01:12-05:00' }),
    invoicesByIdQuery(['80000001-1795619473', '80000002-1795619473'], { requestId: 'byId', version }),
  ];
  const result = validator.validate(buildRequestMessage(requests, { version, onError: 'continueOnError' }));
  expect(result.problems).toEqual([]);
});

test('reading invoices: paid date from the latest payment, else the latest link, else the invoice date; none while unpaid', () => {
  const rows = readInvoiceRows({
    InvoiceRet: [
      {
        TxnID: 'A',
        TimeModified: '2026-11-25T10:00:00-05:00',
        TxnDate: '2026-11-01',
        BalanceRemaining: '0.00',
        IsPaid: 'true',
        LinkedTxn: [
          { TxnID: 'P1', TxnType: 'ReceivePayment', TxnDate: '2026-11-10', Amount: '-100.00' },
          { TxnID: 'C1', TxnType: 'CreditMemo', TxnDate: '2026-11-20', Amount: '-10.00' },
          { TxnID: 'P2', TxnType: 'ReceivePayment', TxnDate: '2026-11-12', Amount: '-222.50' },
        ],
      },
      { TxnID: 'B', TxnDate: '2026-11-01', BalanceRemaining: '0.00', IsPaid: 'true', LinkedTxn: { TxnID: 'C2', TxnType: 'CreditMemo', TxnDate: '2026-11-03', Amount: '-5.00' } },
      { TxnID: 'C', TxnDate: '2026-11-02', BalanceRemaining: '0.00', IsPaid: 'true' },
      { TxnID: 'D', TxnDate: '2026-11-02', BalanceRemaining: '232.5', IsPaid: 'false', LinkedTxn: { TxnID: 'P3', TxnType: 'ReceivePayment', TxnDate: '2026-11-04', Amount: '-100.00' } },
      { TimeModified: 'no TxnID: skipped' },
    ],
  });
  expect(rows).toEqual([
    { txnId: 'A', timeModified: '2026-11-25T10:00:00-05:00', balanceRemaining: '0.00', isPaid: true, paidDate: '2026-11-12' },
    { txnId: 'B', timeModified: null, balanceRemaining: '0.00', isPaid: true, paidDate: '2026-11-03' },
    { txnId: 'C', timeModified: null, balanceRemaining: '0.00', isPaid: true, paidDate: '2026-11-02' },
    { txnId: 'D', timeModified: null, balanceRemaining: '232.5', isPaid: false, paidDate: null },
  ]);
});

test('reading payments: the invoices each is applied to', () => {
  expect(
    readPaymentRows({
      ReceivePaymentRet: {
        TxnID: 'P1',
        TimeModified: '2026-11-25T11:00:00-05:00',
        AppliedToTxnRet: [
          { TxnID: 'A', TxnType: 'Invoice', Amount: '100.00' },
          { TxnID: 'J', TxnType: 'JournalEntry', Amount: '1.00' },
        ],
      },
    }),
  ).toEqual([{ txnId: 'P1', timeModified: '2026-11-25T11:00:00-05:00', invoiceTxnIds: ['A'] }]);
});

describe('when a check is due', () => {
  const config = { everyMinutes: 60, pageSize: 200, overlapMinutes: 10 };
  const now = new Date('2026-11-26T12:00:00Z');
  const state = (over: Partial<PaidStatusSync>) => Object.assign(new PaidStatusSync({ id: 'conn_x' } as Connector), over);
  const checked = { lastAttemptAt: new Date('2026-11-26T11:30:00Z'), lastAttemptSessionId: 's1', lastOutcome: PaidStatusOutcome.OK };

  test('never checked, stale, interrupted, another company file', () => {
    expect(paidStatusDueReason(null, config, now, 's2', undefined)).toBe('NEVER_CHECKED');
    expect(paidStatusDueReason(state(checked), config, now, 's2', undefined)).toBeNull();
    expect(paidStatusDueReason(state(checked), config, new Date('2026-11-26T12:30:00Z'), 's2', undefined)).toBe('STALE');
    expect(paidStatusDueReason(state({ ...checked, lastOutcome: PaidStatusOutcome.INTERRUPTED }), config, now, 's2', undefined)).toBe('INTERRUPTED');
    expect(paidStatusDueReason(state(checked), config, now, 's2', new Date('2026-11-26T11:45:00Z'))).toBe('COMPANY_FILE_CHANGED');
  });

  test('at most once per session; a run of an earlier session is interrupted', () => {
    expect(paidStatusDueReason(state({ ...checked, lastOutcome: PaidStatusOutcome.FAILED }), { ...config, everyMinutes: 0 }, now, 's1', undefined)).toBeNull();
    expect(paidStatusDueReason(state({ ...checked, runId: 'r', runSessionId: 's2' }), config, now, 's2', undefined)).toBeNull();
    expect(paidStatusDueReason(state({ ...checked, runId: 'r', runSessionId: 's1' }), config, now, 's2', undefined)).toBe('INTERRUPTED');
  });
});
