/** Structured logging (pino): one JSON line per event, with the fields a person needs to follow a session. */
import { pino, type Logger } from 'pino';
import type { Config } from './config.js';

export type { Logger };

/** Creates the root logger; modules derive children with `logger.child({ module: '...' })`. */
export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({
    level: config.logLevel,
    base: { service: 'qbd-bridge' },
    // Never log secrets even when a caller passes a whole object by mistake.
    redact: { paths: ['*.password', '*.token', '*.secret', 'password', 'token', 'authorization', '*.authorization'], censor: '[redacted]' },
  });
}
