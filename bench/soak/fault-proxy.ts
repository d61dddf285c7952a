/**
 * An HTTP proxy in front of the service, one per company file's Web Connector (its QWC's AppURL points here):
 * it forwards every SOAP call and, when armed for an update, breaks one of them the way a network or a crashing
 * service does — HTTP 500 or a reset connection, before the service saw the call or after it handled it (its
 * answer lost) — or hands the call to a hook while it is in flight (kill the service, cut its database).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** The calls a proxy fault may hit: those that carry the session (serverVersion/clientVersion say nothing). */
const SESSION_CALL = /<(?:\w+:)?(authenticate|sendRequestXML|receiveResponseXML|getLastError|connectionError|closeConnection)\b/;

export type ProxyBreak =
  | { readonly kind: 'http-500' | 'connection-reset'; readonly afterService: boolean }
  /** Delays forwarding a receiveResponseXML: QuickBooks took that long to answer. */
  | { readonly kind: 'slow-answer'; readonly delayMs: number }
  /**
   * Runs `during` while the service handles the call; with `cutsConnection` (the service was killed) the Web
   * Connector's call then fails as a reset, else it gets whatever the service answered.
   */
  | { readonly kind: 'in-flight'; readonly during: () => Promise<void>; readonly cutsConnection: boolean };

export class FaultProxy {
  private readonly server: http.Server;
  private armed: { break: ProxyBreak; at: number; seen: number; fired: boolean } | undefined;

  private constructor(private readonly target: string) {
    this.server = http.createServer((req, res) => {
      const body: Buffer[] = [];
      req.on('data', (c: Buffer) => body.push(c));
      req.on('end', () => void this.handle(req, Buffer.concat(body), res));
    });
  }

  /** A proxy on a free local port forwarding to `target` (`http://127.0.0.1:PORT`). */
  static async start(target: string): Promise<FaultProxy> {
    const proxy = new FaultProxy(target);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Breaks the `at`-th session call of the next update (or nothing); `fired()` then says whether it came. */
  arm(fault: ProxyBreak | undefined, at = 1): void {
    this.armed = fault && { break: fault, at, seen: 0, fired: false };
  }

  fired(): boolean {
    return this.armed?.fired ?? false;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, body: Buffer, res: http.ServerResponse): Promise<void> {
    const call = SESSION_CALL.exec(body.toString('utf8'))?.[1];
    const armed = this.armed;
    let hit: ProxyBreak | undefined;
    if (armed && !armed.fired && call) {
      const counts = armed.break.kind !== 'slow-answer' || call === 'receiveResponseXML';
      if (counts && ++armed.seen === armed.at) {
        armed.fired = true;
        hit = armed.break;
      }
    }
    if (hit?.kind === 'slow-answer') await new Promise((resolve) => setTimeout(resolve, hit.delayMs));
    if ((hit?.kind === 'http-500' || hit?.kind === 'connection-reset') && !hit.afterService) return this.fail(hit.kind, res);

    const during = hit?.kind === 'in-flight' ? hit.during() : undefined;
    const upstream = http.request(`${this.target}${req.url}`, { method: req.method, headers: req.headers, agent: false }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (c: Buffer) => chunks.push(c));
      answer.on('error', () => res.destroy());
      answer.on('end', () => {
        if (hit?.kind === 'http-500' || hit?.kind === 'connection-reset') return this.fail(hit.kind, res);
        // A call in flight when the service was killed fails as the socket would, even if its answer made it out.
        if (hit?.kind === 'in-flight' && hit.cutsConnection) return void during!.then(() => res.destroy());
        res.writeHead(answer.statusCode ?? 502, answer.headers).end(Buffer.concat(chunks));
      });
    });
    upstream.on('error', () => {
      // The service is down (killed, restarting): a refused connection is a 502, a cut one a reset.
      if (during) void during.then(() => res.destroy());
      else if (!res.headersSent) res.writeHead(502).end();
      else res.destroy();
    });
    upstream.end(body);
  }

  private fail(kind: 'http-500' | 'connection-reset', res: http.ServerResponse): void {
    if (kind === 'connection-reset') res.destroy();
    else res.writeHead(500, { 'content-type': 'text/plain' }).end('Internal Server Error (injected by the soak proxy)');
  }
}
