/**
 * `npx qbd-bridge plugin init <dir>`: a partner plugin of its own, outside this repository, that passes the
 * conformance suite as it is: translate, handleResponse, reconcile, golden fixtures and a conformance test,
 * depending on the plugin SDK package (`@qbd-bridge/plugin-sdk`, plugins/sdk). The files are ./template;
 * names ending in `.template` lose that ending (so neither this repository's tsc nor vitest picks them up).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Command } from 'commander';
import { builtInPlugins } from '../../../plugins/index.js';
import { PROJECT_ROOT } from '../../app/config.js';
import { CommandFailed } from '../command-failed.js';

/** The plugin SDK package folder of this checkout (the npm workspace). */
export const PLUGIN_SDK_DIR = path.join(PROJECT_ROOT, 'plugins', 'sdk');
const TEMPLATE_DIR = path.join(PROJECT_ROOT, 'src', 'cli', 'plugin-init', 'template');
const TEMPLATE_SUFFIX = '.template';
/** npm's rule for package names (lower case, URL-safe, optionally scoped). */
const PACKAGE_NAME = /^(?:@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;
const PLUGIN_ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

export interface PluginInitOptions {
  /** The package name; default: the folder's name. */
  readonly name?: string;
  /** What the plugin's package.json depends on for the SDK; default: this checkout's SDK (`file:`), built first. */
  readonly sdk?: string;
}

export interface ScaffoldedPlugin {
  readonly dir: string;
  readonly packageName: string;
  readonly pluginId: string;
  readonly sdk: string;
  /** Files written, relative to `dir`. */
  readonly files: readonly string[];
}

/**
 * Whether plugins/sdk/dist is newer than every source it was compiled from (the file list tsc keeps in its
 * build info) and the build settings: then nothing needs compiling, not even tsc's own incremental check.
 */
function pluginSdkBuildIsCurrent(): boolean {
  const info = path.join(PLUGIN_SDK_DIR, 'dist', '.tsbuildinfo');
  if (!existsSync(info)) return false;
  const builtAt = statSync(info).mtimeMs;
  const { fileNames } = JSON.parse(readFileSync(info, 'utf8')) as { fileNames?: string[] };
  if (!fileNames) return false;
  const sources = fileNames.filter((f) => !f.includes('node_modules')).map((f) => path.resolve(path.dirname(info), f));
  const settings = [path.join(PLUGIN_SDK_DIR, 'tsconfig.build.json'), path.join(PROJECT_ROOT, 'tsconfig.json')];
  return [...sources, ...settings].every((file) => existsSync(file) && statSync(file).mtimeMs <= builtAt);
}

/**
 * Builds the SDK package (plugins/sdk/dist, `npm run build -w @qbd-bridge/plugin-sdk`) unless it is current;
 * incremental tsc (the build info is in dist), so a build after a small change compiles little.
 */
export function buildPluginSdk(): void {
  if (pluginSdkBuildIsCurrent()) return;
  let tsc: string;
  try {
    tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  } catch {
    throw new CommandFailed('Building the plugin SDK needs TypeScript: run `npm ci` (with dev dependencies) in the qbd-bridge checkout first.');
  }
  const result = spawnSync(process.execPath, [tsc, '-p', path.join(PLUGIN_SDK_DIR, 'tsconfig.build.json')], { encoding: 'utf8' });
  if (result.status !== 0) throw new CommandFailed(`The plugin SDK did not build (npm run build -w @qbd-bridge/plugin-sdk):\n${result.stdout}${result.stderr}`);
  // tsc leaves its build info alone when no source changed in content: mark the build current anyway.
  const now = new Date();
  utimesSync(path.join(PLUGIN_SDK_DIR, 'dist', '.tsbuildinfo'), now, now);
}

/** The versions this repository pins for what the plugin's tests and build need. */
function devDependencyVersions(): Record<string, string> {
  const pkg = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
  const version = (name: string): string => {
    const pinned = pkg.devDependencies[name];
    if (!pinned) throw new Error(`package.json has no devDependency ${name}`);
    return pinned;
  };
  return { __VITEST_VERSION__: version('vitest'), __TYPESCRIPT_VERSION__: version('typescript'), __TYPES_NODE_VERSION__: version('@types/node') };
}

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(path.join(dir, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`],
  );
}

/** Writes the plugin into `dir` (which must not exist or be empty). */
export function scaffoldPlugin(dir: string, options: PluginInitOptions = {}): ScaffoldedPlugin {
  const target = path.resolve(dir);
  if (existsSync(target) && (!statSync(target).isDirectory() || readdirSync(target).length > 0)) {
    throw new CommandFailed(`${target} exists and is not an empty folder: name a new one.`);
  }
  const packageName = options.name ?? path.basename(target).toLowerCase();
  if (!PACKAGE_NAME.test(packageName)) throw new CommandFailed(`"${packageName}" is not an npm package name: give one with --name (lower case, e.g. @acme/qbd-credits).`);
  const pluginId = packageName.replace(/^@[^/]+\//, '').replace(/[^a-z0-9]+/g, '-').replace(/^[^a-z]+|-+$/g, '');
  if (!PLUGIN_ID.test(pluginId)) throw new CommandFailed(`No plugin id can be made of "${packageName}": give a name with letters (--name).`);
  if (builtInPlugins.some((p) => p.id === pluginId)) throw new CommandFailed(`"${pluginId}" is a built-in plugin's id: give another name (--name).`);
  const sdk = options.sdk ?? `file:${PLUGIN_SDK_DIR}`;
  if (!options.sdk) buildPluginSdk();

  const values: Record<string, string> = { __PACKAGE_NAME__: packageName, __PLUGIN_ID__: pluginId, __SDK_SPEC__: sdk, ...devDependencyVersions() };
  mkdirSync(target, { recursive: true });
  cpSync(TEMPLATE_DIR, target, { recursive: true });
  const files: string[] = [];
  for (const file of listFiles(target)) {
    let name = file;
    if (file.endsWith(TEMPLATE_SUFFIX)) {
      const from = path.join(target, file);
      const text = Object.entries(values).reduce((t, [key, value]) => t.replaceAll(key, value), readFileSync(from, 'utf8'));
      name = file.slice(0, -TEMPLATE_SUFFIX.length).replace(/(^|\/)gitignore$/, '$1.gitignore');
      writeFileSync(from, text);
      renameSync(from, path.join(target, name));
    }
    files.push(name);
  }
  return { dir: target, packageName, pluginId, sdk, files: files.sort() };
}

/** Registers `plugin init <dir>` on the CLI. */
export function registerPluginCommand(program: Command, stdout: { write(text: string): unknown }): Command {
  const plugin = program.command('plugin').description('write partner plugins');
  plugin
    .command('init')
    .description('scaffold a plugin package of its own (translate, handleResponse, reconcile, golden fixtures, a conformance test) that passes as it is')
    .argument('<dir>', 'a new or empty folder, outside this repository')
    .option('--name <package>', 'its npm package name (default: the folder name)')
    .option('--sdk <spec>', 'what it depends on for @qbd-bridge/plugin-sdk: a version, a tarball of `npm pack -w @qbd-bridge/plugin-sdk`, a file: path (default: this checkout\'s SDK, built first)')
    .action((dir: string, opts: { name?: string; sdk?: string }) => {
      const made = scaffoldPlugin(dir, opts);
      stdout.write(
        `Plugin ${made.pluginId} (package ${made.packageName}) in ${made.dir}:\n${made.files.map((f) => `  ${f}\n`).join('')}\n` +
          `Next:\n  cd ${made.dir}\n  npm install          # the SDK (${made.sdk}), TypeScript, vitest\n` +
          `  npm test             # the conformance suite over __fixtures__\n` +
          `  then, where qbd-bridge runs: npm install ${made.dir} && PLUGINS=${made.packageName} npm start\n`,
      );
    });
  return plugin;
}
