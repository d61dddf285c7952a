/**
 * Runs a plugin against the QuickBooks simulator (src/simulator) the way the host runs it in a Web Connector
 * session: translate, send the requests in one message (continueOnError), hand the main request's answer to
 * handleResponse, send follow-ups in the same session, until the outcome is final. For end-to-end plugin
 * tests: the simulator checks references, names, balances and EditSequences as QuickBooks does.
 */
import { buildRequestMessage, serializeRequest, type QbxmlRequestType } from '../../../src/qbxml/index.js';
import { parseResponseMessage } from '../../../src/qbwc/qbxml-message.js';
import type { QuickBooksSimulator } from '../../../src/simulator/quickbooks.js';
import type { ItemTypePlugin, PlannedRequest, QbxmlResponse, ResponseOutcome, TranslateContext, TranslateResult } from '../index.js';
import { requestProblems } from './qbxml.js';

/** One message sent to the simulator and its answers, in request order. */
export interface SimulatedRound {
  readonly requests: readonly PlannedRequest[];
  readonly responses: readonly QbxmlResponse[];
}

/** What happened to one entity. */
export interface SimulatedTransfer {
  readonly translation: TranslateResult;
  /** The final outcome; undefined when translate sent nothing. */
  readonly outcome: ResponseOutcome | undefined;
  readonly rounds: readonly SimulatedRound[];
}

/** Sends requests in one message and returns one response per request, in order. Throws when QuickBooks rejects the message. */
export function sendToSimulator(qb: QuickBooksSimulator, requests: readonly PlannedRequest[], version: string): QbxmlResponse[] {
  const problems = requestProblems(requests, version);
  if (problems.length > 0) throw new Error(`the requests are not valid qbXML ${version}:\n${problems.join('\n')}`);
  const serialized = requests.map((r, i) => serializeRequest(r.type as QbxmlRequestType, r.body as never, { requestId: String(i + 1), version }));
  const result = qb.process(buildRequestMessage(serialized, { version, onError: 'continueOnError' }));
  if (result.kind !== 'response') {
    throw new Error(`QuickBooks rejected the message (${result.hresult}: ${result.message}); ${JSON.stringify(qb.processor.lastRejection)}`);
  }
  const byId = new Map(parseResponseMessage(result.responseXml).map((item) => [item.requestId, item]));
  return requests.map((_, i) => {
    const item = byId.get(String(i + 1));
    if (!item) throw new Error(`no response to request ${i + 1}`);
    return { type: item.type, statusCode: item.statusCode, statusSeverity: item.statusSeverity, statusMessage: item.statusMessage, body: item.body };
  });
}

/** Transfers one entity through the simulator, following up as the plugin asks (at most `maxRounds` messages). */
export function transferThroughSimulator<TEntity>(
  plugin: ItemTypePlugin<TEntity>,
  entity: TEntity,
  ctx: TranslateContext,
  qb: QuickBooksSimulator,
  maxRounds = 8,
): SimulatedTransfer {
  const version = ctx.connector.qbxmlVersion;
  const translation = plugin.translate(entity, ctx);
  if (translation.kind !== 'requests') return { translation, outcome: undefined, rounds: [] };
  const rounds: SimulatedRound[] = [];
  let requests: readonly PlannedRequest[] = translation.requests;
  for (let followUps = 0; followUps < maxRounds; followUps++) {
    const responses = sendToSimulator(qb, requests, version);
    rounds.push({ requests, responses });
    const mainIndex = requests.findIndex((r) => r.role === 'main');
    const outcome = plugin.handleResponse(responses[mainIndex]!, { connector: ctx.connector, request: requests[mainIndex]!, followUps, entity, lookups: ctx });
    if (outcome.kind !== 'followUp') return { translation, outcome, rounds };
    requests = outcome.requests;
  }
  throw new Error(`${plugin.id}: still following up after ${maxRounds} messages`);
}

/** Asks the plugin's reconcile query of the simulator and interprets the answer. */
export function reconcileThroughSimulator<TEntity>(plugin: ItemTypePlugin<TEntity>, entity: TEntity, ctx: TranslateContext, qb: QuickBooksSimulator) {
  const query = plugin.reconcile.query(entity, ctx);
  const [response] = sendToSimulator(qb, [query], ctx.connector.qbxmlVersion);
  return plugin.reconcile.interpret(entity, response!, ctx);
}
