import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close().catch(() => undefined);
});

test('/healthz is 200 while the database answers and 503 when it does not', async () => {
  const up = await fetch(`${app.url}/healthz`);
  expect(up.status).toBe(200);
  expect(await up.json()).toEqual({ status: 'ok', database: 'up' });

  await app.database.close();
  const down = await fetch(`${app.url}/healthz`);
  expect(down.status).toBe(503);
  expect(await down.json()).toEqual({ status: 'unavailable', database: 'down' });
});
