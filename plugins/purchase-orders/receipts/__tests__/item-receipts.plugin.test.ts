import { definePluginConformanceSuite } from '../../../sdk/testing/index.js';
import plugin from '../index.js';

definePluginConformanceSuite(plugin, { dir: new URL('../__fixtures__/', import.meta.url) });
