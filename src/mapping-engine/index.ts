/**
 * The mapping engine: the plugin registry (built-ins plus PLUGINS) and the transfer ledger work source
 * that drains each connector's queue through it during Web Connector sessions. See README.md here.
 */
import type { Config } from '../app/config.js';
import type { WorkSource } from '../qbwc/work/work-source.js';
import { BUILTIN_PLUGINS } from './builtin-plugins.js';
import { LedgerSource } from './ledger-source.js';
import { importPlugins, PluginRegistry } from './registry.js';
import { qbxmlModel } from '../qbxml/validate.js';
import { InventorySyncSource } from '../modules/inventory/inventory-sync.source.js';

export interface MappingEngine {
  readonly registry: PluginRegistry;
  readonly sources: readonly WorkSource[];
}

/** Loads partner plugins, validates every plugin, and builds the ledger source; throws PLUGIN_INVALID on a bad definition. */
export async function createMappingEngine(config: Pick<Config, 'plugins' | 'pluginsDir' | 'qbwc'>): Promise<MappingEngine> {
  const partners = await importPlugins(config.plugins, config.pluginsDir);
  const known = new Set([...qbxmlModel('13.0').requests, ...qbxmlModel('16.0').requests]);
  const registry = new PluginRegistry([...partners, ...BUILTIN_PLUGINS.map((plugin) => ({ plugin, source: 'built-in' }))], known);
  // The inventory sync only queues ledger items, so it goes first: the ledger sends them in the same message.
  return { registry, sources: [new InventorySyncSource(), new LedgerSource(registry, config.qbwc)] };
}

export { PluginRegistry } from './registry.js';
