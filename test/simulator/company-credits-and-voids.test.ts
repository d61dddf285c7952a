/**
 * Applying credit memos and voiding in the simulated company file: ReceivePaymentAdd's SetCredit uses a
 * credit memo's credit on an invoice (AppliedAmount, BalanceRemaining, CreditRemaining, LinkedTxn) and refuses
 * more credit than remains or a memo of another customer; TxnVoid zeroes an invoice or credit memo and marks
 * its memo "VOID:", and refuses one with payments or credits applied. Responses are checked against the XSD.
 */
import { describe, expect, it } from 'vitest';
import type { QuickBooksSimulator } from '../../src/simulator/quickbooks.js';
import { newSimulator, runOne, text } from './fixtures/qbxml.js';

const invoiceAdd = (customer: string, amount: string) =>
  `<InvoiceAddRq><InvoiceAdd><CustomerRef><FullName>${customer}</FullName></CustomerRef><InvoiceLineAdd><Desc>Support</Desc><Amount>${amount}</Amount></InvoiceLineAdd></InvoiceAdd></InvoiceAddRq>`;
const creditMemoAdd = (customer: string, amount: string) =>
  `<CreditMemoAddRq><CreditMemoAdd><CustomerRef><FullName>${customer}</FullName></CustomerRef><CreditMemoLineAdd><Desc>Credit</Desc><Amount>${amount}</Amount></CreditMemoLineAdd></CreditMemoAdd></CreditMemoAddRq>`;
const applyCredit = (customer: string, invoiceTxnId: string, memoTxnId: string, amount: string) =>
  `<ReceivePaymentAddRq><ReceivePaymentAdd><CustomerRef><FullName>${customer}</FullName></CustomerRef><TotalAmount>0.00</TotalAmount>` +
  `<AppliedToTxnAdd><TxnID>${invoiceTxnId}</TxnID><PaymentAmount>0.00</PaymentAmount><SetCredit><CreditTxnID>${memoTxnId}</CreditTxnID><AppliedAmount>${amount}</AppliedAmount></SetCredit></AppliedToTxnAdd>` +
  '</ReceivePaymentAdd></ReceivePaymentAddRq>';
const txnVoid = (type: string, txnId: string) => `<TxnVoidRq><TxnVoidType>${type}</TxnVoidType><TxnID>${txnId}</TxnID></TxnVoidRq>`;

function added(qb: QuickBooksSimulator, request: string): string {
  const rs = runOne(qb, request);
  expect(rs.statusCode, rs.message).toBe(0);
  return text(rs.rets[0], 'TxnID')!;
}
const invoiceRet = (qb: QuickBooksSimulator, txnId: string) =>
  runOne(qb, `<InvoiceQueryRq><TxnID>${txnId}</TxnID><IncludeLinkedTxns>true</IncludeLinkedTxns></InvoiceQueryRq>`).rets[0];
const memoRet = (qb: QuickBooksSimulator, txnId: string) => runOne(qb, `<CreditMemoQueryRq><TxnID>${txnId}</TxnID></CreditMemoQueryRq>`).rets[0];

describe('ReceivePaymentAdd with SetCredit', () => {
  it('applies the credit: the invoice balance drops, the credit is used, the invoice links the memo', () => {
    const qb = newSimulator();
    const invoice = added(qb, invoiceAdd('Globex Inc', '300.00'));
    const memo = added(qb, creditMemoAdd('Globex Inc', '120.00'));
    expect(runOne(qb, applyCredit('Globex Inc', invoice, memo, '120.00')).statusCode).toBe(0);

    const ret = invoiceRet(qb, invoice);
    expect([text(ret, 'AppliedAmount'), text(ret, 'BalanceRemaining'), text(ret, 'IsPaid')]).toEqual(['-120.00', '180.00', 'false']);
    const link = ret!.children.find((c) => c.name === 'LinkedTxn');
    expect([text(link, 'TxnID'), text(link, 'TxnType'), text(link, 'Amount')]).toEqual([memo, 'CreditMemo', '-120.00']);
    expect([text(memoRet(qb, memo), 'TotalAmount'), text(memoRet(qb, memo), 'CreditRemaining')]).toEqual(['120.00', '0.00']);
  });

  it('refuses more credit than remains, and a credit memo of another customer', () => {
    const qb = newSimulator();
    const invoice = added(qb, invoiceAdd('Globex Inc', '300.00'));
    const memo = added(qb, creditMemoAdd('Globex Inc', '50.00'));
    const tooMuch = runOne(qb, applyCredit('Globex Inc', invoice, memo, '60.00'));
    expect([tooMuch.statusCode, tooMuch.severity]).toEqual([3210, 'Error']);

    const otherInvoice = added(qb, invoiceAdd('Acme Corporation', '300.00'));
    const otherCustomer = runOne(qb, applyCredit('Acme Corporation', otherInvoice, memo, '10.00'));
    expect(otherCustomer.statusCode).toBe(3140);
    // Nothing was applied by the refused requests.
    expect(text(memoRet(qb, memo), 'CreditRemaining')).toBe('50.00');
    expect(text(invoiceRet(qb, invoice), 'BalanceRemaining')).toBe('300.00');
  });
});

describe('TxnVoid', () => {
  it('voids an invoice and a credit memo: amounts zero, memo "VOID:", number kept', () => {
    const qb = newSimulator();
    const invoice = added(qb, invoiceAdd('Globex Inc', '300.00'));
    const memo = added(qb, creditMemoAdd('Globex Inc', '50.00'));
    const rs = runOne(qb, txnVoid('Invoice', invoice));
    expect(rs.statusCode).toBe(0);
    const ret = invoiceRet(qb, invoice);
    expect([text(ret, 'Subtotal'), text(ret, 'BalanceRemaining'), text(ret, 'Memo'), text(ret, 'RefNumber')]).toEqual(['0.00', '0.00', 'VOID:', '1']);
    expect(runOne(qb, txnVoid('CreditMemo', memo)).statusCode).toBe(0);
    expect([text(memoRet(qb, memo), 'TotalAmount'), text(memoRet(qb, memo), 'Memo')]).toEqual(['0.00', 'VOID:']);
  });

  it('refuses an invoice with credits applied, an unknown TxnID, and types it does not model', () => {
    const qb = newSimulator();
    const invoice = added(qb, invoiceAdd('Globex Inc', '300.00'));
    const memo = added(qb, creditMemoAdd('Globex Inc', '50.00'));
    expect(runOne(qb, applyCredit('Globex Inc', invoice, memo, '50.00')).statusCode).toBe(0);
    expect(runOne(qb, txnVoid('Invoice', invoice)).statusCode).toBe(3210);
    expect(runOne(qb, txnVoid('CreditMemo', memo)).statusCode).toBe(3210);
    expect(text(invoiceRet(qb, invoice), 'Subtotal')).toBe('300.00');
    expect(runOne(qb, txnVoid('Invoice', '9999-1')).statusCode).toBe(3120);
    expect(runOne(qb, txnVoid('Check', invoice)).statusCode).toBe(1030);
  });
});
