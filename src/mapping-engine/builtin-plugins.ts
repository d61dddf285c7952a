/** The built-in plugins, in one explicit list (no directory scanning): partners add theirs through PLUGINS. */
import type { ItemTypePlugin } from '../../plugins/sdk/index.js';
import { builtInPlugins } from '../../plugins/index.js';

export const BUILTIN_PLUGINS: ReadonlyArray<ItemTypePlugin<never>> = builtInPlugins as unknown as ReadonlyArray<ItemTypePlugin<never>>;
