/**
 * Registry reflection: every plugin shipped here, checked as a set and against the host's registry —
 * unique ids, valid definitions, each emitted request type paired with its response type in Intuit's schema,
 * and the routing of each kind of entity to the right plugin.
 */
import { describe, expect, test } from 'vitest';
import { PluginRegistry, validatePlugins, type RegisteredPlugin } from '../../src/mapping-engine/registry.js';
import { qbxmlModel } from '../../src/qbxml/validate.js';
import { rulesSchemaModel } from '../../src/qbxml/rules-model.js';
import { builtInPlugins } from '../index.js';
import { definitionProblems, responseTypeOf } from '../sdk/testing/index.js';

const all = builtInPlugins;
const known = new Set([...qbxmlModel('13.0').requests, ...qbxmlModel('16.0').requests]);
const entries: RegisteredPlugin[] = builtInPlugins.map((plugin) => ({ plugin, source: 'built-in' }));

describe('plugin registry', () => {
  test('ids are unique and every definition is valid', () => {
    const ids = all.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const plugin of all) expect(definitionProblems(plugin), plugin.id).toEqual([]);
  });

  test("the host's registry accepts them all", () => {
    expect(validatePlugins(entries, known)).toEqual([]);
  });

  test.each(['130', '160'] as const)('every emitted request pairs with its response in the qbXML %s schema', (schemaSet) => {
    const schema = rulesSchemaModel(schemaSet);
    const missing: string[] = [];
    for (const plugin of all) {
      for (const rq of plugin.emits) {
        if (!schema.resolve(['QBXML', 'QBXMLMsgsRq', rq])) missing.push(`${plugin.id}: ${rq}`);
        if (!schema.resolve(['QBXML', 'QBXMLMsgsRs', responseTypeOf(rq)])) missing.push(`${plugin.id}: ${responseTypeOf(rq)}`);
      }
    }
    expect(missing).toEqual([]);
  });

  test('each entity reaches the plugin meant for it', () => {
    const registry = new PluginRegistry(entries, known);
    const invoice = (total: string) => ({ total });
    expect(registry.pluginFor('ORGANIZATION', {})?.id).toBe('customers');
    expect(registry.pluginFor('INVOICE', invoice('100.00'))?.id).toBe('invoices');
    expect(registry.pluginFor('INVOICE', invoice('0.00'))?.id).toBe('invoices');
    expect(registry.pluginFor('INVOICE', invoice('-100.00'))?.id).toBe('credit-memos');
    expect(registry.pluginFor('PAYMENT', {})?.id).toBe('payments');
  });

  test('work on transferred invoices reaches its own plugins', () => {
    const registry = new PluginRegistry(entries, known);
    expect(registry.pluginFor('CREDIT_APPLICATION', { total: '-1.00' })?.id).toBe('credit-applications');
    expect(registry.pluginFor('INVOICE_VOID', { total: '1.00' })?.id).toBe('invoice-voids');
  });
});
