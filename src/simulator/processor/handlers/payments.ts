/**
 * ReceivePaymentAdd / ReceivePaymentQuery. A payment is applied to invoices of the same customer/job (as
 * the request says, or oldest first when it says nothing, like QuickBooks' auto-apply preference); paying
 * more than an invoice's balance is refused with 3210, an unknown invoice with 3120.
 */
import { invoiceBalanceCents, unusedPaymentCents } from '../../company/company-file.js';
import { planPaymentApplications, postPayment, type PaymentApplicationInput } from '../../company/invoicing.js';
import { formatCents, parseCents } from '../../company/money.js';
import { QB_STATUS, refuse } from '../../company/status-codes.js';
import type { ReceivePaymentRecord } from '../../company/types.js';
import type { RequestContext, RequestHandler } from '../context.js';
import { answerQuery, selectTransactions } from '../queries.js';
import { refInput, refRet, storeChildren, storedToRet } from '../request-fields.js';
import type { RetAggregate, RetElement } from '../response-writer.js';
import { child, childBoolean, childText, childrenNamed } from '../../../qbxml/xml-tree.js';
import { requestAggregate } from './shared.js';

const HANDLED = new Set([
  'CustomerRef',
  'ARAccountRef',
  'TxnDate',
  'RefNumber',
  'TotalAmount',
  'PaymentMethodRef',
  'DepositToAccountRef',
  'IsAutoApply',
  'AppliedToTxnAdd',
]);

/** The `ReceivePaymentRet` of a payment; AppliedToTxnRet shows each invoice's balance as it is now. */
export function receivePaymentRet(ctx: RequestContext, payment: ReceivePaymentRecord): RetElement {
  const { company, model } = ctx;
  const decl = model.element('ReceivePaymentRet')!;
  const applied: RetAggregate[] = payment.applications.map((app) => {
    const invoice = company.findInvoice(app.txnId);
    return {
      TxnID: app.txnId,
      TxnType: 'Invoice',
      TxnDate: invoice?.txnDate,
      RefNumber: invoice?.refNumber,
      BalanceRemaining: invoice ? formatCents(invoiceBalanceCents(invoice)) : undefined,
      Amount: formatCents(app.amountCents),
      DiscountAmount: app.discountCents !== 0 ? formatCents(app.discountCents) : undefined,
      LinkedTxn: app.credits?.length ? app.credits.map((credit) => creditLink(ctx, credit.creditTxnId, credit.amountCents)) : undefined,
    };
  });
  return {
    name: 'ReceivePaymentRet',
    value: {
      ...storedToRet(company, decl, payment.fields),
      TxnID: payment.txnId,
      TimeCreated: payment.timeCreated,
      TimeModified: payment.timeModified,
      EditSequence: payment.editSequence,
      TxnNumber: String(payment.txnNumber),
      CustomerRef: refRet(company, payment.customerId),
      ARAccountRef: refRet(company, payment.arAccountId),
      TxnDate: payment.txnDate,
      RefNumber: payment.refNumber,
      TotalAmount: formatCents(payment.totalAmountCents),
      PaymentMethodRef: refRet(company, payment.paymentMethodId),
      DepositToAccountRef: refRet(company, payment.depositToAccountId),
      UnusedPayment: formatCents(unusedPaymentCents(payment)),
      UnusedCredits: '0.00',
      AppliedToTxnRet: applied.length > 0 ? applied : undefined,
    },
  };
}

/** A `LinkedTxn` naming a credit memo applied to an invoice (as InvoiceRet and AppliedToTxnRet show it). */
export function creditLink(ctx: RequestContext, creditTxnId: string, amountCents: number): RetAggregate {
  const memo = ctx.company.findCreditMemo(creditTxnId);
  return { TxnID: creditTxnId, TxnType: 'CreditMemo', TxnDate: memo?.txnDate ?? '', RefNumber: memo?.refNumber, LinkType: 'AMTTYPE', Amount: formatCents(-amountCents) };
}

const addReceivePayment: RequestHandler = (ctx) => {
  const { company } = ctx;
  const aggregate = requestAggregate(ctx, 'ReceivePaymentAdd');
  const customer = company.resolveRef('CustomerRef', refInput(child(aggregate, 'CustomerRef')!), 'ReceivePayment').record;
  const resolve = (name: string) => {
    const element = child(aggregate, name);
    return element ? company.resolveRef(name, refInput(element), 'ReceivePayment').record.listId : undefined;
  };
  const arAccountId = resolve('ARAccountRef');
  const paymentMethodId = resolve('PaymentMethodRef');
  const depositToAccountId = resolve('DepositToAccountRef');
  const fields = storeChildren(company, aggregate, 'ReceivePayment', { skip: HANDLED });

  const applications: PaymentApplicationInput[] = childrenNamed(aggregate, 'AppliedToTxnAdd').map((element) => {
    const amountText = childText(element, 'PaymentAmount') ?? '0.00';
    const discount = childText(element, 'DiscountAmount');
    const credits = childrenNamed(element, 'SetCredit').map((credit) => {
      const appliedText = childText(credit, 'AppliedAmount') ?? '0.00';
      return { creditTxnId: childText(credit, 'CreditTxnID') ?? '', amountText: appliedText, amountCents: parseCents(appliedText) };
    });
    return {
      txnId: childText(element, 'TxnID') ?? '',
      amountText,
      amountCents: parseCents(amountText),
      discountCents: discount ? parseCents(discount) : 0,
      ...(credits.length ? { credits } : {}),
    };
  });
  const totalText = childText(aggregate, 'TotalAmount');
  const totalAmountCents = totalText !== undefined ? parseCents(totalText) : applications.reduce((sum, a) => sum + a.amountCents, 0);
  if (totalAmountCents < 0) {
    refuse(QB_STATUS.invalidValue('TotalAmount', totalText ?? formatCents(totalAmountCents), 'The amount cannot be negative.'));
  }
  const autoApply = childBoolean(aggregate, 'IsAutoApply');
  const planned = planPaymentApplications(company, customer.listId, totalAmountCents, applications.length > 0 ? applications : autoApply === false ? [] : undefined);

  const payment: ReceivePaymentRecord = {
    ...company.newTxnStamps(company.nextTxnNumber()),
    txnDate: childText(aggregate, 'TxnDate') ?? company.stamps.today(),
    customerId: customer.listId,
    arAccountId: arAccountId ?? company.defaultAccount('AccountsReceivable', 'Accounts Receivable').listId,
    depositToAccountId: depositToAccountId ?? undepositedFunds(ctx),
    totalAmountCents,
    applications: planned,
    fields,
  };
  const refNumber = childText(aggregate, 'RefNumber');
  if (refNumber !== undefined) payment.refNumber = refNumber;
  if (paymentMethodId) payment.paymentMethodId = paymentMethodId;
  company.data.receivePayments.push(payment);
  postPayment(company, payment);
  return { rets: [receivePaymentRet(ctx, payment)] };
};

/** QuickBooks deposits received payments to Undeposited Funds unless told otherwise (created on first use). */
function undepositedFunds(ctx: RequestContext): string {
  const { company } = ctx;
  const existing = company.list('accounts').find((a) => a.fields['SpecialAccountType'] === 'UndepositedFunds') ?? company.findByFullName('accounts', 'Undeposited Funds');
  if (existing) return existing.listId;
  const core = company.newListCore('Undeposited Funds', { SpecialAccountType: 'UndepositedFunds' });
  return company.insert('accounts', { ...core, accountType: 'OtherCurrentAsset' }).listId;
}

const queryReceivePayments: RequestHandler = (ctx) =>
  answerQuery(
    ctx,
    () =>
      selectTransactions(ctx, ctx.company.data.receivePayments, {
        entityOf: (p) => p.customerId,
        accountOf: (p) => p.arAccountId,
      }),
    (id) => {
      const payment = ctx.company.findReceivePayment(id);
      return payment && receivePaymentRet(ctx, payment);
    },
  );

/** ReceivePayment request handlers, by request element name. */
export const receivePaymentHandlers: Record<string, RequestHandler> = {
  ReceivePaymentAddRq: addReceivePayment,
  ReceivePaymentQueryRq: queryReceivePayments,
};
