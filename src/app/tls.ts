/**
 * HTTPS for a Web Connector that reaches the service directly: QBWC refuses plain http off localhost.
 * The certificate and key are re-read when either file changes (certificate renewals need no restart);
 * a broken pair is logged and the previous one stays in use.
 */
import fs from 'node:fs';
import https from 'node:https';
import type { RequestListener } from 'node:http';
import { createSecureContext } from 'node:tls';
import { ConfigError, type Config } from './config.js';
import type { Logger } from './logger.js';

/** How often the files are checked (fs.watchFile polls: it survives the rename-and-replace renewals use). */
const WATCH_INTERVAL_MS = 1_000;

export interface TlsServer {
  readonly server: https.Server;
  /** Stops watching the files. */
  stopWatching(): void;
}

export function createTlsServer(tls: NonNullable<Config['tls']>, app: RequestListener, logger: Logger): TlsServer {
  const log = logger.child({ module: 'tls' });
  const read = () => ({ cert: fs.readFileSync(tls.certFile), key: fs.readFileSync(tls.keyFile) });
  let pair: { cert: Buffer; key: Buffer };
  try {
    pair = read();
    createSecureContext(pair);
  } catch (error) {
    throw new ConfigError([
      { variable: 'TLS_CERT_FILE', message: `and TLS_KEY_FILE must name a readable PEM certificate and its key (${(error as Error).message})` },
    ]);
  }
  const server = https.createServer(pair, app);
  const reload = () => {
    try {
      const next = read();
      server.setSecureContext(next);
      log.info({ certFile: tls.certFile }, 'TLS certificate reloaded');
    } catch (error) {
      log.error({ err: error, certFile: tls.certFile }, 'TLS certificate change could not be loaded; keeping the previous one');
    }
  };
  for (const file of [tls.certFile, tls.keyFile]) fs.watchFile(file, { interval: WATCH_INTERVAL_MS }, (curr, prev) => {
    if (curr.mtimeMs !== prev.mtimeMs || curr.size !== prev.size) reload();
  });
  return {
    server,
    stopWatching() {
      fs.unwatchFile(tls.certFile);
      fs.unwatchFile(tls.keyFile);
    },
  };
}
