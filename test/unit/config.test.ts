import path from 'node:path';
import { expect, test } from 'vitest';
import { ConfigError, loadConfig } from '../../src/app/config.js';

test('defaults: port 4000 on 127.0.0.1, embedded database in ./data, public URL on localhost', () => {
  const config = loadConfig({}, '/srv/app');
  expect(config).toMatchObject({
    port: 4000,
    host: '127.0.0.1',
    dataDir: path.resolve('/srv/app/data'),
    databaseUrl: undefined,
    publicBaseUrl: 'http://127.0.0.1:4000',
    logLevel: 'info',
    appName: 'qbd-bridge',
  });
  expect(Object.isFrozen(config)).toBe(true);
});

test('a bad value stops the start with a message naming the variable', () => {
  const attempt = () => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud', PUBLIC_BASE_URL: 'ftp://x' });
  expect(attempt).toThrow(ConfigError);
  try {
    attempt();
  } catch (error) {
    const problems = (error as ConfigError).problems.map((p) => p.variable).sort();
    expect(problems).toEqual(['DATABASE_URL', 'LOG_LEVEL', 'PORT', 'PUBLIC_BASE_URL']);
    expect((error as Error).message).toContain('PORT must be a number (got "eighty")');
  }
});

test('empty values count as unset; a trailing slash on the public URL is dropped', () => {
  const config = loadConfig({ PORT: '', PUBLIC_BASE_URL: 'https://qb.example.com/', HOST: '0.0.0.0' });
  expect(config.port).toBe(4000);
  expect(config.publicBaseUrl).toBe('https://qb.example.com');
});

test('PORT 0 needs an explicit public URL', () => {
  expect(() => loadConfig({ PORT: '0' })).toThrow(/PUBLIC_BASE_URL is required when PORT is 0/);
});

test('paid-status checks and Autotask write-back: defaults, overrides, and bounds', () => {
  const defaults = loadConfig({});
  expect(defaults.paidStatus).toEqual({ everyMinutes: 60, pageSize: 200, overlapMinutes: 10 });
  expect(defaults.autotask).toMatchObject({ tickSeconds: 60, writeBackBatchSize: 50, writeBackRetryMinutes: 5 });
  const set = loadConfig({ PAID_STATUS_EVERY_MINUTES: '0', PAID_STATUS_PAGE_SIZE: '50', AUTOTASK_TICK_SECONDS: '15', AUTOTASK_WRITE_BACK_RETRY_MINUTES: '30' });
  expect(set.paidStatus).toMatchObject({ everyMinutes: 0, pageSize: 50 });
  expect(set.autotask).toMatchObject({ tickSeconds: 15, writeBackRetryMinutes: 30 });
  expect(() => loadConfig({ PAID_STATUS_PAGE_SIZE: '5' })).toThrow(/PAID_STATUS_PAGE_SIZE must be between 10 and 1000/);
  expect(() => loadConfig({ AUTOTASK_WRITE_BACK_BATCH_SIZE: '0' })).toThrow(/AUTOTASK_WRITE_BACK_BATCH_SIZE must be between 1 and 1000/);
});

test('GraphQL query limits: defaults, overrides, and bad values named', () => {
  expect(loadConfig({}).graphql).toEqual({ maxDepth: 12, maxAliases: 30, maxTokens: 10_000, maxCost: 200_000, listSizeEstimate: 10, introspection: 'signed-in' });
  expect(loadConfig({ GRAPHQL_MAX_DEPTH: '20', GRAPHQL_INTROSPECTION: 'everyone' }).graphql).toMatchObject({ maxDepth: 20, introspection: 'everyone' });
  try {
    loadConfig({ GRAPHQL_MAX_DEPTH: '1', GRAPHQL_MAX_COST: 'lots', GRAPHQL_INTROSPECTION: 'yes' });
    expect.unreachable('a bad limit must stop the start');
  } catch (error) {
    expect((error as ConfigError).problems.map((p) => p.variable).sort()).toEqual(['GRAPHQL_INTROSPECTION', 'GRAPHQL_MAX_COST', 'GRAPHQL_MAX_DEPTH']);
    expect((error as Error).message).toContain('GRAPHQL_INTROSPECTION must be signed-in or everyone (got "yes")');
  }
});

test('PLUGINS_DIR: where PLUGINS are looked up, from the working directory by default', () => {
  expect(loadConfig({ PLUGINS: 'a,./b.js' }, '/srv/app')).toMatchObject({ plugins: ['a', './b.js'], pluginsDir: path.resolve('/srv/app') });
  expect(loadConfig({ PLUGINS_DIR: '../plugins' }, '/srv/app').pluginsDir).toBe(path.resolve('/srv/plugins'));
});
