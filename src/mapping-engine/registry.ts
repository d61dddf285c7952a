/**
 * The plugin registry: built-in plugins plus partners' (modules named in PLUGINS), validated once at start.
 * A definition error stops the start with a message naming the plugin; nothing half-registered runs.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { EntityType, ItemTypePlugin } from '../../plugins/sdk/index.js';
import { ENTITY_TYPES, PLUGIN_API_VERSION } from '../../plugins/sdk/index.js';
import { AppError } from '../errors/app-error.js';

type AnyPlugin = ItemTypePlugin<never>;

const ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const REQUEST_TYPE = /^[A-Z][A-Za-z0-9]*Rq$/;

export interface RegisteredPlugin {
  readonly plugin: AnyPlugin;
  /** Where it came from: "built-in" or the module named in PLUGINS. */
  readonly source: string;
}

export class PluginRegistry {
  private readonly entries: readonly RegisteredPlugin[];

  /** Partner plugins come first: a partner's narrower plugin (e.g. credit memos) wins over a built-in. */
  constructor(entries: readonly RegisteredPlugin[], knownRequestTypes?: ReadonlySet<string>) {
    const problems = validatePlugins(entries, knownRequestTypes);
    if (problems.length) {
      throw new AppError('PLUGIN_INVALID', `Plugins could not be registered:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    }
    this.entries = [...entries].sort((a, b) => Number(a.source === 'built-in') - Number(b.source === 'built-in'));
  }

  /** The plugin that translates this entity: the first whose `accepts` takes it (plugins with a filter first). */
  pluginFor(entityType: EntityType, entity: unknown): AnyPlugin | undefined {
    const candidates = this.entries.filter((e) => e.plugin.handles.entity === entityType).map((e) => e.plugin);
    const narrowed = candidates.filter((p) => p.handles.accepts && (p.handles.accepts as (e: unknown) => boolean)(entity));
    return narrowed[0] ?? candidates.find((p) => !p.handles.accepts);
  }

  byId(id: string): AnyPlugin | undefined {
    return this.entries.find((e) => e.plugin.id === id)?.plugin;
  }

  list(): readonly RegisteredPlugin[] {
    return this.entries;
  }
}

/** Every problem with a set of plugin definitions, each naming its plugin. */
export function validatePlugins(entries: readonly RegisteredPlugin[], knownRequestTypes?: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const { plugin, source } of entries) {
    const name = `plugin ${JSON.stringify(plugin?.id)} (${source})`;
    if (!plugin || typeof plugin !== 'object') {
      problems.push(`${source}: the module's default export is not a plugin (use definePlugin)`);
      continue;
    }
    if (typeof plugin.id !== 'string' || !ID.test(plugin.id)) problems.push(`${name}: id must be kebab-case`);
    if (seen.has(plugin.id)) problems.push(`${name}: id already used by ${seen.get(plugin.id)}`);
    seen.set(plugin.id, source);
    if (plugin.apiVersion !== PLUGIN_API_VERSION) {
      problems.push(`${name}: apiVersion ${String(plugin.apiVersion)} is not supported (this host speaks ${PLUGIN_API_VERSION})`);
    }
    if (!ENTITY_TYPES.includes(plugin.handles?.entity)) problems.push(`${name}: handles.entity must be one of ${ENTITY_TYPES.join(', ')}`);
    for (const fn of ['translate', 'handleResponse'] as const) if (typeof plugin[fn] !== 'function') problems.push(`${name}: ${fn} must be a function`);
    if (plugin.queuesAfter !== undefined && typeof plugin.queuesAfter !== 'function') problems.push(`${name}: queuesAfter must be a function when given`);
    if (typeof plugin.reconcile?.query !== 'function' || typeof plugin.reconcile?.interpret !== 'function') {
      problems.push(`${name}: reconcile.query and reconcile.interpret are required (exactly-once transfers depend on them)`);
    }
    if (!Array.isArray(plugin.emits) || plugin.emits.length === 0) problems.push(`${name}: emits must list the request types it sends`);
    for (const type of plugin.emits ?? []) {
      if (!REQUEST_TYPE.test(type) || (knownRequestTypes && !knownRequestTypes.has(type))) problems.push(`${name}: emits unknown qbXML request type ${type}`);
    }
  }
  for (const entity of ENTITY_TYPES) {
    const catchAll = entries.filter((e) => e.plugin?.handles?.entity === entity && !e.plugin.handles.accepts);
    if (catchAll.length > 1) problems.push(`${catchAll.map((e) => e.plugin.id).join(' and ')} both translate every ${entity}: give one an accepts filter`);
  }
  return problems;
}

/**
 * Where a PLUGINS entry is imported from: a path relative to `dir` (or absolute), or a package name resolved
 * from `dir`'s node_modules (an operator's own plugins folder, PLUGINS_DIR), else from qbd-bridge's own.
 */
function pluginModuleTarget(spec: string, dir: string): string {
  if (spec.startsWith('.') || path.isAbsolute(spec)) return pathToFileURL(path.resolve(dir, spec)).href;
  try {
    // require.resolve applies the package's "exports" (its "default" or "require" condition) from that folder.
    return pathToFileURL(createRequire(path.join(dir, 'package.json')).resolve(spec)).href;
  } catch {
    return spec; // not installed there: import() resolves it from qbd-bridge's node_modules, or says it is missing
  }
}

/** Imports partner plugins named in PLUGINS (paths relative to `dir`, or package names installed there or in qbd-bridge). */
export async function importPlugins(specs: readonly string[], dir = process.cwd()): Promise<RegisteredPlugin[]> {
  const loaded: RegisteredPlugin[] = [];
  for (const spec of specs) {
    const target = pluginModuleTarget(spec, dir);
    let module: { default?: unknown };
    try {
      module = (await import(target)) as { default?: unknown };
    } catch (error) {
      throw new AppError('PLUGIN_INVALID', `Plugin module ${spec} could not be loaded (PLUGINS): ${(error as Error).message}`, { cause: error });
    }
    const exported = module.default;
    for (const plugin of Array.isArray(exported) ? exported : [exported]) loaded.push({ plugin: plugin as AnyPlugin, source: spec });
  }
  return loaded;
}
