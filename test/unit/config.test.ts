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
