/**
 * The plugins shipped with qbd-bridge, in explicit lists (no directory scanning): the host registers
 * `builtInPlugins`; partner plugins (and the example below) are registered through PLUGINS.
 */
import creditMemos from './credit-memos/index.js';
import customers from './customers/index.js';
import invoices from './invoices/index.js';
import payments from './payments/index.js';
import type { ItemTypePlugin } from './sdk/index.js';

/** Organizations → customers, invoices (total ≥ 0) → invoices, payments → received payments. */
export const builtInPlugins: ReadonlyArray<ItemTypePlugin<never>> = [customers, invoices, payments];

/** Example partner plugins kept in this repository (register with e.g. PLUGINS=./dist/plugins/credit-memos/index.js). */
export const examplePlugins: ReadonlyArray<ItemTypePlugin<never>> = [creditMemos];
