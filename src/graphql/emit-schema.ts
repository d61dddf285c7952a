/** Writes schema/schema.graphql from the resolvers: `npm run schema:emit`. */
import fs from 'node:fs';
import path from 'node:path';
import { buildAppSchema, printAppSchema, SCHEMA_FILE } from './schema.js';

const schema = await buildAppSchema();
fs.mkdirSync(path.dirname(SCHEMA_FILE), { recursive: true });
fs.writeFileSync(SCHEMA_FILE, printAppSchema(schema));
console.log(`Wrote ${path.relative(process.cwd(), SCHEMA_FILE)}`);
