import { describe, expect, test } from 'vitest';
import { definePluginConformanceSuite, fixtureContext } from '../../sdk/testing/index.js';
import type { Vendor } from '../../sdk/index.js';
import plugin from '../index.js';

definePluginConformanceSuite(plugin, { dir: new URL('../__fixtures__/', import.meta.url) });

const vendor = (id: string, name: string): Vendor => ({ id, autotaskId: 1, name, address: null, phone: null, fax: null });

describe('vendor names', () => {
  test('two vendors sharing their first 41 characters are looked up (and added) under two different names', () => {
    const names = ['Northwind Traders Regional Medical Supplies A', 'Northwind Traders Regional Medical Supplies B'].map((name, i) => {
      const result = plugin.translate(vendor(`v-${i}`, name), fixtureContext());
      if (result.kind !== 'requests') throw new Error(result.kind);
      return (result.requests[0]!.body['FullName'] as string[])[0]!;
    });
    expect(names[0]).not.toBe(names[1]);
    for (const name of names) {
      expect(name.length).toBeLessThanOrEqual(41);
      expect(name).toMatch(/^Northwind Traders Regional Medical~[0-9A-Z]{5}$/);
    }
  });
});
