/**
 * The built service as one bundle: `npm run build` compiles with tsc (dist/src, decorators and their metadata
 * already turned into plain calls), then bundles dist/src/main.js and everything it imports into dist/service/.
 * `npm start`, the Dockerfile and the systemd unit run dist/service/main.js.
 *
 * Why: a start resolved, read and parsed about 2,900 files (ESM resolution, the CommonJS export lexer, one
 * compile each): about a second of CPU of every restart, the largest single cost of the start path (issue #17).
 * The bundle is a few files. The CLI (bin/qbd-bridge.js) and the tests keep running the unbundled modules.
 *
 * Left out of the bundle, loaded from node_modules as before: packages that find their WebAssembly or native
 * files next to their own modules (PGlite and its socket server, libxml2-wasm, @node-rs/argon2), and the optional
 * drivers that pg and knex require only when configured (they are not installed).
 */
import { fileURLToPath } from 'node:url';

export default {
  input: 'dist/src/main.js',
  platform: 'node',
  external: [/^node:/, /^@electric-sql\//, 'libxml2-wasm', /^@node-rs\//, 'pg-native', /^(oracledb|mysql2?|sqlite3|better-sqlite3|tedious|pg-query-stream)$/],
  transform: {
    // MikroORM compares the versions of its packages' package.json files at start, from the files on disk; in the
    // bundle its core reports no version of its own (its package.json is not bundled), so the check would fail.
    // The bundle is built from one lockfile, which is what the check guards. MikroORM's documented switch.
    //
    // And the bundle is the production build, as a bundler makes one: NODE_ENV is "production" in its modules, as
    // the Dockerfile and the systemd unit set it, so `npm start`, the built service the tests and the bench start
    // and a deployment all run the same code (graphql-js, Apollo, Express and graphql-armor pick their production
    // paths; graphql-js's development build checks class names on every failed type test: 20–35 ms of a 1000-invoice
    // push's coercion, issue #17). `npm run dev` and the tests of the source run the development paths.
    define: { 'process.env.MIKRO_ORM_ALLOW_VERSION_MISMATCH': '"bundled"', 'process.env.NODE_ENV': '"production"' },
  },
  resolve: {
    alias: {
      // The migrations import their base class from @mikro-orm/migrations, whose index also loads the migrator
      // (umzug and its command-line and JSON-schema libraries: about 60 modules) at every start, for nothing: the
      // migrator itself is loaded from node_modules when something is pending (schema-version.ts). The base class
      // is one small dependency-free file.
      '@mikro-orm/migrations': fileURLToPath(new URL('./node_modules/@mikro-orm/migrations/Migration.js', import.meta.url)),
    },
  },
  logLevel: 'warn',
  output: {
    dir: 'dist/service',
    // A build leaves only its own chunks (their names carry content hashes; old ones would pile up).
    cleanDir: true,
    format: 'esm',
    // Class and function names stay as written: MikroORM names entities and type-graphql names types after them.
    keepNames: true,
    minify: true,
    sourcemap: true,
  },
};
