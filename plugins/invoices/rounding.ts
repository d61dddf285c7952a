/**
 * Quantity, Rate and Amount of a QuickBooks line under the connector's `roundingPolicy`. QuickBooks takes
 * Quantity and Rate (it computes Amount = Quantity × Rate, rounded half away from zero to the cent) or Quantity
 * and Amount (it derives the rate); Rate and Quantity have at most 5 decimals (PRICETYPE / QUANTYPE), amounts 2.
 * Autotask keeps rates to 4 decimals and rounds each line to the cent, so the two can differ by cents:
 *
 *   ROUND_EACH_LINE         Amount is Autotask's (the group's exact sum of cents); Rate is sent instead only
 *                           when QuickBooks' own Quantity × Rate gives that amount, so QuickBooks' subtotal is
 *                           always the sum of Autotask's lines (the default)
 *   SEND_RATE_AND_QUANTITY  Autotask's Quantity and Rate (a merged line: their common rate, else the exact
 *                           average when it fits 5 decimals), QuickBooks computes the amounts: the invoice shows
 *                           Autotask's rates, and QuickBooks' total may differ by cents (the ledger item then
 *                           carries a TOTAL_MISMATCH alert)
 *
 * Lines without a quantity (or with zero) always send Amount alone.
 */
import { amount, decimal, divideExactly, multiplyDecimals, sumDecimals, type InvoiceLine, type RoundingPolicy } from '../sdk/index.js';
import type { LineGroup } from './grouping.js';

/** PRICETYPE: at most 10 digits before the point (and 5 after: `decimal` keeps 5). */
const PRICE = /^-?\d{1,10}(\.\d+)?$/;
const ZERO = /^[+-]?0*\.?0*$/;

/** What a line's quantity and price come to: the InvoiceLineAdd elements. */
export type QuantityAndPrice = { Amount: string } | { Quantity: string; Rate: string } | { Quantity: string; Amount: string };

type Priced = Pick<InvoiceLine, 'quantity' | 'rate' | 'amount'>;

const rateOf = (text: string | undefined): string | undefined => {
  const rate = text?.trim() ? decimal(text) : '';
  return rate && PRICE.test(rate) ? rate : undefined;
};

/** ROUND_EACH_LINE for one Autotask line (quantity × rate rounded must be its amount) or a group (amount / quantity exact). */
function roundedEachLine(quantity: string, total: string, candidateRate: string | undefined): QuantityAndPrice {
  const rate = rateOf(candidateRate);
  if (rate && amount(multiplyDecimals(quantity, rate)) === total) return { Quantity: quantity, Rate: rate };
  return { Quantity: quantity, Amount: total };
}

/** SEND_RATE_AND_QUANTITY: the lines' common rate, else the exact average rate, else the unrounded extended amount once rounded. */
function rateAndQuantity(quantity: string, lines: readonly Priced[]): QuantityAndPrice | undefined {
  const rates = lines.map((l) => rateOf(l.rate));
  if (rates.some((r) => r === undefined) || lines.some((l) => !l.quantity?.trim())) return undefined;
  if (new Set(rates).size === 1) return { Quantity: quantity, Rate: rates[0]! };
  const extended = sumDecimals(lines.map((l, i) => multiplyDecimals(decimal(l.quantity), rates[i]!)));
  const average = rateOf(divideExactly(extended, quantity));
  return average ? { Quantity: quantity, Rate: average } : { Quantity: quantity, Amount: amount(extended) };
}

/** The quantity and price elements of a group of Autotask lines (one line when not grouped). */
export function quantityAndPriceOf(group: Pick<LineGroup, 'lines' | 'quantity' | 'amount'>, policy: RoundingPolicy): QuantityAndPrice {
  const total = amount(group.amount);
  const quantity = group.quantity.trim() ? decimal(group.quantity) : '';
  if (!quantity || ZERO.test(quantity)) return { Amount: total };
  if (policy === 'SEND_RATE_AND_QUANTITY') {
    const sent = rateAndQuantity(quantity, group.lines);
    if (sent) return sent;
  }
  const single = group.lines.length === 1 ? group.lines[0]!.rate : undefined;
  return roundedEachLine(quantity, total, single ?? divideExactly(total, quantity));
}

/**
 * One Autotask line under ROUND_EACH_LINE: Quantity and Rate when QuickBooks' own quantity × rate (rounded to
 * cents) gives Autotask's amount; else Quantity and Amount (QuickBooks then derives the rate); Amount alone for
 * lines without a quantity.
 */
export function quantityAndPrice(line: Priced): QuantityAndPrice {
  return quantityAndPriceOf({ lines: [line as InvoiceLine], quantity: line.quantity ?? '', amount: line.amount }, 'ROUND_EACH_LINE');
}
