/** The committed SDL and the generated client types must match the code; regenerate when this fails. */
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { generate, loadCodegenConfig } from '@graphql-codegen/cli';
import { buildAppSchema, printAppSchema, SCHEMA_FILE } from '../../src/graphql/schema.js';
import { PROJECT_ROOT } from '../../src/app/config.js';

test('schema/schema.graphql is up to date (npm run schema:emit)', async () => {
  const current = printAppSchema(await buildAppSchema());
  expect(fs.readFileSync(SCHEMA_FILE, 'utf8'), 'run `npm run schema:emit`').toBe(current);
});

test('test/generated/graphql.ts is up to date (npm run codegen)', async () => {
  const { config } = await loadCodegenConfig({ configFilePath: path.join(PROJECT_ROOT, 'codegen.yml') });
  const outputs = await generate({ ...config, cwd: PROJECT_ROOT, silent: true }, false);
  expect(outputs).toHaveLength(1);
  const committed = fs.readFileSync(path.join(PROJECT_ROOT, 'test/generated/graphql.ts'), 'utf8');
  expect(committed, 'run `npm run codegen`').toBe(outputs[0]!.content);
});
