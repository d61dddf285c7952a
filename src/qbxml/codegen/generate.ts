/**
 * Generates `src/qbxml/generated/` from Intuit's qbXML schemas: `npm run qbxml:generate`.
 *
 * The schemas are read from the spec folder (`loadConfig().specDir`, i.e. QBXML_SPEC_DIR or ../shared/spec) and
 * never copied into the repository. The message set is `QBXML_MESSAGE_SET` (./message-set.ts).
 * `test/qbxml/generated-up-to-date.test.ts` regenerates in memory and fails when the committed files differ.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { QbxmlSchemaSet } from '../xsd/versions.js';
import { buildSchemaClosure, type SchemaClosure } from './closure.js';
import { emitRules } from './emit-rules.js';
import { emitTypes } from './emit-types.js';
import { QBXML_MESSAGE_SET } from './message-set.js';
import { readXsdSchema } from './xsd-reader.js';

/** One generated file: its path relative to `src/qbxml/generated/` and its content. */
export interface GeneratedFile {
  readonly path: string;
  readonly content: string;
}

/** The folder the generated files belong in. */
export const GENERATED_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'generated');

/** Generates every file of `src/qbxml/generated/` in memory. */
export function generateQbxmlSources(specDir: string, messages: readonly string[] = QBXML_MESSAGE_SET): GeneratedFile[] {
  const closures: Record<QbxmlSchemaSet, SchemaClosure> = {
    '130': buildSchemaClosure(readXsdSchema(specDir, '130'), messages),
    '160': buildSchemaClosure(readXsdSchema(specDir, '160'), messages),
  };
  const missing = messages.filter((m) => !closures['130'].requests.includes(`${m}Rq`) && !closures['160'].requests.includes(`${m}Rq`));
  if (missing.length > 0) throw new Error(`not in the qbXML 13.0 or 16.0 schemas: ${missing.join(', ')}`);
  return [
    { path: 'rules.ts', content: emitRules(closures) },
    { path: 'types.ts', content: emitTypes(closures) },
  ];
}

async function main(): Promise<void> {
  const { loadConfig } = await import('../../app/config.js');
  const files = generateQbxmlSources(loadConfig().specDir);
  mkdirSync(GENERATED_DIR, { recursive: true });
  for (const file of files) {
    writeFileSync(path.join(GENERATED_DIR, file.path), file.content);
    console.log(`wrote src/qbxml/generated/${file.path} (${file.content.length} bytes)`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
