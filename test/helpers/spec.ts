/**
 * Intuit's qbXML XSDs, the QBWC WSDL and the capture samples, for the tests that use them as an oracle.
 *
 * They live outside the repository (QBXML_SPEC_DIR, default ../shared/spec) and a bare clone has none: the
 * simulator then validates with the generated rules alone and the oracle tests are skipped. With the files
 * there, every simulator in the tests also runs libxml2 against the XSDs and fails on a disagreement.
 * test/global-setup.ts prints one line saying which way the run went.
 */
import { loadConfig } from '../../src/app/config.js';
import { hasQbxmlSchemas, oracleCheckedValidator } from '../../src/qbxml/xsd/oracle.js';

const configured = loadConfig().specDir;

/** The spec folder when it holds Intuit's XSDs; undefined on a bare clone (oracle tests skip). */
export const specDir: string | undefined = hasQbxmlSchemas(configured) ? configured : undefined;

/** Whether the oracle runs in this test run. */
export const oracleRuns = specDir !== undefined;

/** For every QuickBooksSimulator in tests: the generated rules, cross-checked against the XSDs when present. */
export const validator = oracleCheckedValidator(specDir);

/** The spec folder, for a test that only runs with the oracle (inside `describe.skipIf(!oracleRuns)`). */
export function requireSpecDir(): string {
  if (!specDir) throw new Error('this test needs Intuit\'s XSDs (QBXML_SPEC_DIR or ../shared/spec); guard it with describe.skipIf(!oracleRuns)');
  return specDir;
}
