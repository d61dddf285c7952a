/**
 * Inventory on-hand in the simulated QuickBooks: InventoryAdjustmentAdd with NewQuantity stores the difference
 * and moves the item's QuantityOnHand (ItemInventoryQuery reports it), QuantityDifference adds, and QuickBooks'
 * refusals: multi-user mode (3180, F3), inventory off (3250), an item that is not an inventory part (3140).
 * Every request and response is validated (the generated rules; Intuit's XSD when present) by `run`.
 */
import { describe, expect, it } from 'vitest';
import { newSimulator, run, runOne, text } from './fixtures/qbxml.js';
import type { QuickBooksSimulator } from '../../src/simulator/quickbooks.js';

const inventoryPart = (name: string, onHand?: string) =>
  `<ItemInventoryAddRq><ItemInventoryAdd><Name>${name}</Name><PurchaseCost>12.50</PurchaseCost>` +
  '<COGSAccountRef><FullName>Cost of Goods Sold</FullName></COGSAccountRef><AssetAccountRef><FullName>Inventory Asset</FullName></AssetAccountRef>' +
  `${onHand !== undefined ? `<QuantityOnHand>${onHand}</QuantityOnHand>` : ''}</ItemInventoryAdd></ItemInventoryAddRq>`;

const adjust = (lines: ReadonlyArray<[string, string, 'NewQuantity' | 'QuantityDifference']>) =>
  '<InventoryAdjustmentAddRq><InventoryAdjustmentAdd><AccountRef><FullName>Cost of Goods Sold</FullName></AccountRef><TxnDate>2026-11-30</TxnDate>' +
  lines.map(([item, quantity, kind]) => `<InventoryAdjustmentLineAdd><ItemRef><FullName>${item}</FullName></ItemRef><QuantityAdjustment><${kind}>${quantity}</${kind}></QuantityAdjustment></InventoryAdjustmentLineAdd>`).join('') +
  '</InventoryAdjustmentAdd></InventoryAdjustmentAddRq>';

const onHand = (qb: QuickBooksSimulator, name: string) =>
  text(runOne(qb, `<ItemInventoryQueryRq><FullName>${name}</FullName></ItemInventoryQueryRq>`).rets[0], 'QuantityOnHand');

function inventorySimulator(): QuickBooksSimulator {
  const qb = newSimulator({ preferences: { inventoryEnabled: true } });
  expect(run(qb, inventoryPart('UPS Battery RBC7', '5') + inventoryPart('USB-C Dock')).map((r) => r.statusCode)).toEqual([0, 0]);
  return qb;
}

describe('InventoryAdjustmentAdd', () => {
  it('sets on-hand with NewQuantity (QuickBooks stores the difference) and adds QuantityDifference', () => {
    const qb = inventorySimulator();
    expect(onHand(qb, 'USB-C Dock')).toBe('0');
    const rs = runOne(qb, adjust([['UPS Battery RBC7', '7', 'NewQuantity'], ['USB-C Dock', '3', 'QuantityDifference']]));
    expect(rs).toMatchObject({ name: 'InventoryAdjustmentAddRs', statusCode: 0 });
    const lines = rs.rets[0]!.children.filter((c) => c.name === 'InventoryAdjustmentLineRet');
    expect(lines.map((l) => [text(l, 'ItemRef', 'FullName'), text(l, 'QuantityDifference'), text(l, 'ValueDifference')])).toEqual([
      ['UPS Battery RBC7', '2', '25.00'],
      ['USB-C Dock', '3', '37.50'],
    ]);
    expect(text(rs.rets[0], 'AccountRef', 'FullName')).toBe('Cost of Goods Sold');
    expect([onHand(qb, 'UPS Battery RBC7'), onHand(qb, 'USB-C Dock')]).toEqual(['7', '3']);
    // Setting the same quantity again moves nothing: the line's difference is 0.
    const again = runOne(qb, adjust([['UPS Battery RBC7', '7', 'NewQuantity']]));
    expect(text(again.rets[0], 'InventoryAdjustmentLineRet', 'QuantityDifference')).toBe('0');
    expect(runOne(qb, adjust([['UPS Battery RBC7', '2', 'NewQuantity']])).rets[0]!.children.find((c) => c.name === 'InventoryAdjustmentLineRet')).toBeDefined();
    expect(onHand(qb, 'UPS Battery RBC7')).toBe('2');
    const query = runOne(qb, '<InventoryAdjustmentQueryRq><IncludeLineItems>true</IncludeLineItems></InventoryAdjustmentQueryRq>');
    expect(query.rets.map((r) => text(r, 'InventoryAdjustmentLineRet', 'QuantityDifference'))).toEqual(['2', '0', '-5']);
  });

  it('is refused with 3180 while the file is open in multi-user mode, and nothing moves; other saves go on', () => {
    const qb = inventorySimulator();
    qb.companyFile.openInMultiUserMode = true;
    const rs = run(qb, adjust([['UPS Battery RBC7', '9', 'NewQuantity']]) + inventoryPart('Rack shelf'), { onError: 'continueOnError' });
    expect(rs.map((r) => r.statusCode)).toEqual([3180, 0]);
    expect(rs[0]!.message).toContain('single-user mode');
    expect(onHand(qb, 'UPS Battery RBC7')).toBe('5');
    expect(qb.company.inventoryAdjustments ?? []).toHaveLength(0);
    qb.companyFile.openInMultiUserMode = false;
    expect(runOne(qb, adjust([['UPS Battery RBC7', '9', 'NewQuantity']])).statusCode).toBe(0);
    expect(onHand(qb, 'UPS Battery RBC7')).toBe('9');
  });

  it('is refused with 3250 when inventory is off and 3140 for an item that is not an inventory part', () => {
    const qb = inventorySimulator();
    expect(runOne(qb, adjust([['Consulting', '1', 'NewQuantity']])).statusCode).toBe(3140);
    expect(runOne(qb, adjust([['UPS Battery RBC7', '1', 'NewQuantity'], ['Nothing', '1', 'NewQuantity']])).statusCode).toBe(3140);
    expect(onHand(qb, 'UPS Battery RBC7')).toBe('5');
    qb.company.preferences.inventoryEnabled = false;
    expect(runOne(qb, adjust([['UPS Battery RBC7', '1', 'NewQuantity']])).statusCode).toBe(3250);
  });
});
