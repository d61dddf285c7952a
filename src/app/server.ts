/**
 * One HTTP server: GraphQL at /graphql, health at /healthz, QWC downloads at /qwc/<registration id>,
 * and /qbwc (reserved for the Web Connector SOAP endpoint).
 */
import http from 'node:http';
import express, { type Request, type Response } from 'express';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import type { Database } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { ERROR_CODES } from '../errors/error-codes.js';
import { buildAppSchema } from '../graphql/schema.js';
import { makeContext, type GraphQLContext } from '../graphql/context.js';
import { createFormatError } from '../graphql/format-error.js';
import { authenticateBearer, touchToken } from '../modules/user/token.service.js';
import { RegistrationService } from '../modules/registration/registration.service.js';
import { QbwcService } from '../qbwc/qbwc-service.js';
import { qbwcRouter } from '../qbwc/soap-endpoint.js';
import { createTlsServer } from './tls.js';
import type { WorkSource } from '../qbwc/work/work-source.js';
import type { MappingEngine } from '../mapping-engine/index.js';

export interface RunningServer {
  readonly httpServer: http.Server;
  /** The URL the server listens on (with the real port when PORT=0). */
  readonly url: string;
  close(): Promise<void>;
}

export interface ServerOptions {
  /** The plugin registry and transfer-ledger source; its sources run first in every Web Connector session. */
  readonly engine?: MappingEngine;
  /** More places Web Connector sessions get requests from (list sync…). */
  readonly workSources?: readonly WorkSource[];
}

export async function startServer(config: Config, logger: Logger, database: Database, options: ServerOptions = {}): Promise<RunningServer> {
  const app = express();
  app.disable('x-powered-by');
  // Which reverse proxies may tell us the client's address (X-Forwarded-For): used for sign-in throttling and logs.
  app.set('trust proxy', config.trustProxy);
  const tls = config.tls ? createTlsServer(config.tls, app, logger) : undefined;
  const httpServer: http.Server = tls?.server ?? http.createServer(app);

  const apollo = new ApolloServer<GraphQLContext>({
    schema: await buildAppSchema(),
    formatError: createFormatError(logger.child({ module: 'graphql' }), config.exposeErrorStacks),
    includeStacktraceInErrorResponses: false,
    // main.ts owns SIGTERM/SIGINT (database, lock); Apollo's own handlers would race it and re-raise the signal.
    stopOnTerminationSignals: false,
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), ApolloServerPluginLandingPageDisabled()],
  });
  await apollo.start();

  app.get('/healthz', async (_req, res) => {
    const up = await database.ping();
    res.status(up ? 200 : 503).json({ status: up ? 'ok' : 'unavailable', database: up ? 'up' : 'down' });
  });

  app.use(
    '/graphql',
    express.json({ limit: '5mb' }),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const em = database.orm.em.fork();
        const token = await authenticateBearer(em, req.headers.authorization);
        if (token) await touchToken(em, token);
        return makeContext({ em, config, logger, user: token?.user, token, engine: options.engine });
      },
    }),
  );

  app.get('/qwc/:registrationId', async (req: Request<{ registrationId: string }>, res: Response) => {
    const em = database.orm.em.fork();
    try {
      const token = await authenticateBearer(em, req.headers.authorization);
      if (!token) throw AppError.unauthenticated();
      const { registration, xml } = await new RegistrationService(em).qwcFor(req.params.registrationId, token.user, config);
      const fileName = `${config.appName}-${registration.connector.name}-${registration.user.name}`.replace(/[^A-Za-z0-9._-]+/g, '_');
      res
        .status(200)
        .type('application/x-qwc')
        .setHeader('Content-Disposition', `attachment; filename="${fileName}.qwc"`)
        .send(xml);
    } catch (error) {
      sendHttpError(res, error, logger);
    }
  });

  const sources = [...(options.engine?.sources ?? []), ...(options.workSources ?? [])];
  const qbwc = new QbwcService({ orm: database.orm, config, logger, sources });
  app.use('/qbwc', await qbwcRouter(config, qbwc, logger));

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  const address = httpServer.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `${tls ? 'https' : 'http'}://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  return {
    httpServer,
    url,
    async close() {
      tls?.stopWatching();
      await apollo.stop();
      if (httpServer.listening) await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}

/** Plain-HTTP routes answer AppErrors with their status and message, and mask everything else. */
function sendHttpError(res: Response, error: unknown, logger: Logger): void {
  if (error instanceof AppError) {
    res.status(ERROR_CODES[error.code].http).json({ error: { code: error.code, message: error.message } });
    return;
  }
  logger.error({ err: error }, 'unexpected error in HTTP route');
  res.status(500).json({ error: { code: 'INTERNAL', message: 'Internal error; it has been logged.' } });
}
