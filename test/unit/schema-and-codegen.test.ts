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

test('test/generated/graphql.ts and web/src/generated/graphql.ts are up to date (npm run codegen)', async () => {
  const { config } = await loadCodegenConfig({ configFilePath: path.join(PROJECT_ROOT, 'codegen.yml') });
  const outputs = await generate({ ...config, cwd: PROJECT_ROOT, silent: true }, false);
  expect(outputs.map((o: { filename: string }) => path.relative(PROJECT_ROOT, path.resolve(PROJECT_ROOT, o.filename))).sort()).toEqual(['test/generated/graphql.ts', 'web/src/generated/graphql.ts']);
  for (const output of outputs) {
    const committed = fs.readFileSync(path.resolve(PROJECT_ROOT, output.filename), 'utf8');
    expect(committed, `run \`npm run codegen\` (${output.filename})`).toBe(output.content);
  }
});
