/**
 * A work source for endpoint tests: per connector, it adds customers (so each company file's contents show
 * which connector's requests reached it) and runs iterated customer queries. Its state is in memory — it
 * exists to drive the real session engine, not to model the transfer ledger.
 */
import type { OutboundRequest, SentRequest, WorkContext, WorkSource } from '../../src/qbwc/work/work-source.js';
import type { QbxmlResponseItem } from '../../src/qbwc/qbxml-message.js';
import { escapeQbxmlText } from '../../src/qbxml/serialize.js';

interface ConnectorWork {
  adds: string[];
  queries: number;
  /** FullNames returned by the customer queries, in order. */
  readonly received: string[];
  readonly added: string[];
  readonly unknown: Array<{ requestId: string; reason: string }>;
  readonly statuses: Array<{ requestId: string; statusCode: number }>;
  pages: number;
}

export class CustomerWorkSource implements WorkSource {
  readonly id = 'test-customers';
  private readonly work = new Map<string, ConnectorWork>();
  private counter = 0;

  constructor(private readonly maxReturned = 100) {}

  /** Queues customer adds (by name) and/or full customer queries for a connector. */
  queue(connectorId: string, work: { adds?: string[]; queries?: number }): void {
    const w = this.of(connectorId);
    w.adds.push(...(work.adds ?? []));
    w.queries += work.queries ?? 0;
  }

  of(connectorId: string): ConnectorWork {
    let w = this.work.get(connectorId);
    if (!w) this.work.set(connectorId, (w = { adds: [], queries: 0, received: [], added: [], unknown: [], statuses: [], pages: 0 }));
    return w;
  }

  async pendingCount(ctx: { connector: { id: string } }): Promise<number> {
    const w = this.of(ctx.connector.id);
    return w.adds.length + w.queries;
  }

  async nextRequests(ctx: WorkContext, budget: { count: number }): Promise<OutboundRequest[]> {
    const w = this.of(ctx.connector.id);
    const out: OutboundRequest[] = [];
    while (out.length < budget.count && w.adds.length > 0) {
      const name = w.adds.shift()!;
      out.push({ requestId: `add:${++this.counter}`, type: 'CustomerAddRq', innerXml: `<CustomerAdd><Name>${escapeQbxmlText(name)}</Name></CustomerAdd>`, meta: { name } });
    }
    while (out.length < budget.count && w.queries > 0) {
      w.queries--;
      out.push(this.query(`{start}`));
    }
    return out;
  }

  async handleResponse(ctx: WorkContext, request: SentRequest, response: QbxmlResponseItem): Promise<OutboundRequest[]> {
    const w = this.of(ctx.connector.id);
    w.statuses.push({ requestId: request.requestId, statusCode: response.statusCode });
    if (request.type === 'CustomerAddRq') {
      if (response.statusCode === 0) w.added.push((request.meta as { name: string }).name);
      return [];
    }
    w.pages++;
    const rets = [response.body.CustomerRet ?? []].flat() as Array<{ FullName: string }>;
    w.received.push(...rets.map((r) => r.FullName));
    if (response.iteratorId && (response.iteratorRemainingCount ?? 0) > 0) return [this.query(response.iteratorId)];
    return [];
  }

  async handleUnknownOutcome(ctx: { connector: { id: string } }, requests: readonly SentRequest[], reason: string): Promise<void> {
    this.of(ctx.connector.id).unknown.push(...requests.map((r) => ({ requestId: r.requestId, reason })));
  }

  private query(iteratorId: string): OutboundRequest {
    const start = iteratorId === '{start}';
    return {
      requestId: `query:${++this.counter}`,
      type: 'CustomerQueryRq',
      attributes: start ? { iterator: 'Start' } : { iterator: 'Continue', iteratorID: iteratorId },
      innerXml: `<MaxReturned>${this.maxReturned}</MaxReturned>`,
    };
  }
}
