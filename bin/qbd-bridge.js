#!/usr/bin/env node
// `npx qbd-bridge ...`: runs the compiled CLI; in a source checkout that has not been built yet,
// compiles the TypeScript on the fly (swc keeps the decorator metadata the ORM and GraphQL need).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = `${root}dist/src/cli/index.js`;
let entry = built;
if (!existsSync(built)) {
  await import('@swc-node/register/esm-register');
  entry = `${root}src/cli/index.ts`;
}
const { runCli } = await import(pathToFileURL(entry).href);
process.exitCode = await runCli(process.argv);
