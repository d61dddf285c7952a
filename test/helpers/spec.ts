import { loadConfig } from '../../src/app/config.js';

/** Where Intuit's XSDs, WSDL and samples live for this test run (QBXML_SPEC_DIR or ../shared/spec). */
export const specDir = loadConfig().specDir;
