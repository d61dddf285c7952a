import { describe, expect, test } from 'vitest';
import { definePluginConformanceSuite, fixtureContext } from '../../sdk/testing/index.js';
import type { InventoryAdjustment } from '../../sdk/index.js';
import plugin from '../index.js';

definePluginConformanceSuite(plugin, { dir: new URL('../__fixtures__/', import.meta.url) });

const adjustment = (name: string, extra: Partial<InventoryAdjustment['product']> = {}): InventoryAdjustment => ({
  id: 'inva-9',
  product: { id: 'prd-9', autotaskId: 9, name, description: null, sku: null, manufacturerPartNumber: null, unitCost: null, unitPrice: null, billingCodeId: null, isInventory: true, quantityOnHand: 2, ...extra },
  quantity: 2,
  runAt: '2026-11-30T14:05:00.000Z',
});
const account = { connector: { inventoryAdjustmentAccount: { listId: null, fullName: 'Inventory Adjustment' } } };

describe('the item an adjustment names', () => {
  test('the product\'s mapping when it has one, else the name purchase orders create it under (31 characters)', () => {
    const mapped = plugin.translate(adjustment('Dock'), fixtureContext({ ...account, mappings: { items: { 'PRODUCT:9': { target: 'Hardware:Docks' } } } }));
    const long = plugin.translate(adjustment('APC Smart-UPS 1500VA LCD RM 2U 120V with SmartConnect'), fixtureContext(account));
    const refs = [mapped, long].map((r) => (r.kind === 'requests' ? (r.requests[0]!.body['InventoryAdjustmentAdd'] as { InventoryAdjustmentLineAdd: Array<{ ItemRef: { FullName: string } }> }).InventoryAdjustmentLineAdd[0]!.ItemRef.FullName : r.kind));
    expect(refs[0]).toBe('Hardware:Docks');
    expect(refs[1]!.length).toBeLessThanOrEqual(31);
    expect(refs[1]).toMatch(/^APC Smart-UPS 1500VA LCD~[0-9A-Z]{5}$/);
  });

  test('a product not stocked in Autotask is skipped', () => {
    expect(plugin.translate(adjustment('Labour', { isInventory: false }), fixtureContext(account)).kind).toBe('skip');
  });
});
