/**
 * A port someone else holds: the server refuses to start with the system's EADDRINUSE (main.ts reports it and
 * exits) and leaves nothing running behind it (its metrics port is let go too), so the same database serves a server
 * on those ports once the first is free.
 */
import net from 'node:net';
import { afterAll, expect, test } from 'vitest';
import { freePort } from '../../src/app/free-port.js';
import { loadConfig } from '../../src/app/config.js';
import { createLogger } from '../../src/app/logger.js';
import { startServer } from '../../src/app/server.js';
import { openTestDatabase } from '../helpers/test-database.js';

const database = await openTestDatabase();
afterAll(() => database.close());

test('a taken port fails the start with EADDRINUSE and the port serves once it is free', async () => {
  const port = await freePort();
  const metricsPort = await freePort();
  const config = loadConfig({ PORT: String(port), METRICS_PORT: String(metricsPort), HOST: '127.0.0.1', LOG_LEVEL: 'silent', PUBLIC_BASE_URL: 'https://qbd.test' });
  const logger = createLogger(config);
  const holder = net.createServer();
  await new Promise<void>((resolve) => holder.listen(port, '127.0.0.1', resolve));

  await expect(startServer(config, logger, database)).rejects.toMatchObject({ code: 'EADDRINUSE' });

  await new Promise((resolve) => holder.close(resolve));
  const server = await startServer(config, logger, database);
  try {
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(server.url).toBe(`http://127.0.0.1:${port}`);
    expect((await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).status).toBe(200);
  } finally {
    await server.close();
  }
});
