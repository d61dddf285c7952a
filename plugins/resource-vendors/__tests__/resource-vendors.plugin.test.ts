import { describe, expect, test } from 'vitest';
import { definePluginConformanceSuite, fixtureContext } from '../../sdk/testing/index.js';
import { namedEntryNames, type Resource } from '../../sdk/index.js';
import plugin from '../index.js';

definePluginConformanceSuite(plugin, { dir: new URL('../__fixtures__/', import.meta.url) });

describe('resource vendor names', () => {
  test('a long name and its numbered names all fit 41 characters, are distinct, and share the prefix the reconcile lookup reads', () => {
    const resource: Resource = { id: 'res-1', autotaskId: 1, firstName: 'Maximiliane Alexandra', lastName: 'Schwarzenberg-Oppenheimer' };
    const ctx = fixtureContext();
    const lookup = plugin.reconcile.query(resource, ctx);
    const prefix = (lookup.body['NameFilter'] as { Name: string }).Name;
    const translated = plugin.translate(resource, ctx);
    if (translated.kind !== 'requests') throw new Error(translated.kind);
    const base = (translated.requests[0]!.body['FullName'] as string[])[0]!;
    expect(base).toMatch(/^v-Schwarzenberg-Oppenheimer, Maximi~[0-9A-Z]{5}$/);
    const numbered = namedEntryNames({ list: 'Vendor', name: base, numbered: true });
    expect(numbered).toHaveLength(4);
    expect(new Set(numbered.map((n) => n.toLowerCase())).size).toBe(4);
    for (const name of numbered) {
      expect(name.length).toBeLessThanOrEqual(41);
      expect(name.startsWith(prefix)).toBe(true);
    }
    expect(numbered[1]).toMatch(/ \(2\)$/);
  });
});
