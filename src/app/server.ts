/**
 * One HTTP server: GraphQL at /graphql, health at /healthz, QWC downloads at /qwc/<registration id>,
 * /qbwc (the Web Connector SOAP endpoint) and the web console at / (static-console.ts). Every request gets an id (`x-request-id`);
 * every error of every route ends in one handler (http-errors.ts); GraphQL documents are measured
 * against the query limits (graphql/query-limits.ts) before anything executes.
 */
import http from 'node:http';
import express, { type Request, type RequestHandler, type Response } from 'express';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import type { Database } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { buildAppSchema } from '../graphql/schema.js';
import { makeContext, type GraphQLContext } from '../graphql/context.js';
import { createFormatError } from '../graphql/format-error.js';
import { parseLimits, queryLimitRules, queryLimitsPlugin } from '../graphql/query-limits.js';
import { httpErrorHandler, requestIds, routeNotFound } from './http-errors.js';
import { authenticateBearer, touchToken } from '../modules/user/token.service.js';
import { RegistrationService } from '../modules/registration/registration.service.js';
import { QbwcService } from '../qbwc/qbwc-service.js';
import { qbwcRouter } from '../qbwc/soap-endpoint.js';
import { createTlsServer } from './tls.js';
import { watchDatabase } from './metrics.js';
import { httpMetrics, metricsRoute, startMetricsServer } from './metrics-http.js';
import { consoleRouter } from './static-console.js';
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
  /** The built web console to serve at `/` (default dist/web; not served when it was not built). */
  readonly consoleDir?: string;
}

export async function startServer(config: Config, logger: Logger, database: Database, options: ServerOptions = {}): Promise<RunningServer> {
  const app = express();
  app.disable('x-powered-by');
  // Which reverse proxies may tell us the client's address (X-Forwarded-For): used for sign-in throttling and logs.
  app.set('trust proxy', config.trustProxy);
  app.use(requestIds(logger));
  app.use(httpMetrics);
  const tls = config.tls ? createTlsServer(config.tls, app, logger) : undefined;
  const httpServer: http.Server = tls?.server ?? http.createServer(app);
  // Node closes an idle keep-alive connection after 5 s; a client (the Web Connector, a proxy, fetch) that reuses it
  // just then gets ECONNRESET. Idle connections stay open longer than clients and proxies keep them (nginx 60 s,
  // IIS ARR 120 s... we take the common 65 s), and headers must arrive within a bound longer than that.
  httpServer.keepAliveTimeout = 65_000;
  httpServer.headersTimeout = 66_000;

  const apollo = new ApolloServer<GraphQLContext>({
    schema: await buildAppSchema(),
    formatError: createFormatError(logger.child({ module: 'graphql' }), config.exposeErrorStacks),
    includeStacktraceInErrorResponses: false,
    // main.ts owns SIGTERM/SIGINT (database, lock); Apollo's own handlers would race it and re-raise the signal.
    stopOnTerminationSignals: false,
    parseOptions: parseLimits(config.graphql),
    validationRules: queryLimitRules(config.graphql),
    // Who may introspect is decided per request by queryLimitsPlugin (Apollo's switch is all or nothing).
    introspection: true,
    // No cache-control plugin: nothing sets cache hints, and it hooks every field of every answer (willResolveField).
    // No inline tracing: it serves federation gateways only (it switches itself off for a schema that is not a
    // subgraph), but Apollo loads it, its trace builder and the usage-reporting protobuf code at every start.
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }), ApolloServerPluginLandingPageDisabled(), ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginInlineTraceDisabled(), queryLimitsPlugin(config.graphql),
    ],
  });
  await apollo.start();

  const stopWatchingDatabase = watchDatabase(database.orm);
  if (config.metrics.token) app.get('/metrics', metricsRoute(config.metrics.token));
  const metricsServer = await startMetricsServer(config.metrics);

  app.get('/healthz', async (_req, res) => {
    const up = await database.ping();
    res.status(up ? 200 : 503).json({ status: up ? 'ok' : 'unavailable', database: up ? 'up' : 'down' });
  });

  app.use(
    '/graphql',
    graphqlHttpOnly,
    express.json({ limit: GRAPHQL_MAX_BODY }),
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
    const token = await authenticateBearer(em, req.headers.authorization);
    if (!token) throw AppError.unauthenticated();
    const { registration, xml } = await new RegistrationService(em).qwcFor(req.params.registrationId, token.user, config);
    const fileName = `${config.appName}-${registration.connector.name}-${registration.user.name}`.replace(/[^A-Za-z0-9._-]+/g, '_');
    res
      .status(200)
      .type('application/x-qwc')
      .setHeader('Content-Disposition', `attachment; filename="${fileName}.qwc"`)
      .send(xml);
  });

  const sources = [...(options.engine?.sources ?? []), ...(options.workSources ?? [])];
  const qbwc = new QbwcService({ orm: database.orm, config, logger, sources });
  app.use('/qbwc', await qbwcRouter(config, qbwc, logger));
  const webConsole = consoleRouter(options.consoleDir);
  if (webConsole) app.use(webConsole);
  else logger.info('web console not built (npm run build): serving the API only');
  app.use(routeNotFound, httpErrorHandler(logger));

  const close = async () => {
    tls?.stopWatching();
    await apollo.stop();
    if (httpServer.listening) await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    if (metricsServer?.listening) await new Promise<void>((resolve) => metricsServer.close(() => resolve()));
    stopWatchingDatabase();
  };
  try {
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(config.port, config.host, () => resolve());
    });
  } catch (error) {
    // The port is taken (EADDRINUSE) or not ours to bind: leave nothing running behind the error.
    await close();
    throw error;
  }
  const address = httpServer.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `${tls ? 'https' : 'http'}://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  return { httpServer, url, close };
}

/** Largest GraphQL request body; bulk upserts are the big ones. */
const GRAPHQL_MAX_BODY = '5mb';

/**
 * GraphQL over HTTP is GET or a JSON POST. Anything else is refused here with a stable code, before Apollo,
 * whose own refusals (CSRF, missing body) would otherwise be all a caller sees.
 */
const graphqlHttpOnly: RequestHandler = (req, res, next) => {
  if (req.method !== 'GET' && req.method !== 'POST') {
    res.setHeader('Allow', 'GET, POST');
    throw new AppError('METHOD_NOT_ALLOWED', `GraphQL is served to GET and POST requests, not ${req.method}.`);
  }
  if (req.method === 'POST' && !req.is('application/json')) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send GraphQL requests as JSON: "Content-Type: application/json" and a body like {"query": "..."}.');
  }
  next();
};
