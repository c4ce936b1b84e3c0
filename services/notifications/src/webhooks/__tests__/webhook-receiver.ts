import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** One request as a receiver saw it. */
export interface ReceivedWebhook {
  webhookId: string;
  timestamp: number;
  signatures: string[];
  body: string;
  /** The parsed payload (type, timestamp, data). */
  payload: { type: string; timestamp: string; data: Record<string, any> };
  /** Which of the receiver's secrets verify it with the standardwebhooks library (indexes into `secrets`). */
  verifiedBy: number[];
  answered: number | 'nothing';
  receivedAt: number;
}

/** How the receiver answers: a status, a redirect, or nothing at all (the request hangs until it is given up). */
export type Answer = number | { redirect: string } | 'hang';

/**
 * A school's webhook receiver on 127.0.0.1, as a school would write one: it verifies every request with the
 * standardwebhooks library against the secrets it holds, refuses (401) what does not verify, and keeps everything.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  /** The signing secrets this school holds (the newest first). */
  secrets: string[] = [];
  answer: Answer = 200;
  private server!: Server;
  private readonly hanging = new Set<ServerResponse>();

  static async start(answer: Answer = 200): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver();
    receiver.answer = answer;
    receiver.server = createServer((request, response) => void receiver.handle(request, response));
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhooks/notices`;
  }

  /** Requests answered 2xx: those the platform counts as delivered. */
  get delivered(): ReceivedWebhook[] {
    return this.received.filter((r) => typeof r.answered === 'number' && r.answered >= 200 && r.answered < 300);
  }

  async close(): Promise<void> {
    for (const response of this.hanging) response.destroy();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const headers = {
      'webhook-id': String(request.headers['webhook-id'] ?? ''),
      'webhook-timestamp': String(request.headers['webhook-timestamp'] ?? ''),
      'webhook-signature': String(request.headers['webhook-signature'] ?? ''),
    };
    const verifiedBy = this.secrets.flatMap((secret, index) => {
      try {
        new Webhook(secret).verify(body, headers);
        return [index];
      } catch {
        return [];
      }
    });
    const answer: Answer = verifiedBy.length === 0 ? 401 : this.answer;
    let payload: ReceivedWebhook['payload'];
    try {
      payload = JSON.parse(body);
    } catch {
      payload = { type: '', timestamp: '', data: {} };
    }
    this.received.push({
      webhookId: headers['webhook-id'],
      timestamp: Number(headers['webhook-timestamp']),
      signatures: headers['webhook-signature'].split(' '),
      body,
      payload,
      verifiedBy,
      answered: answer === 'hang' ? 'nothing' : typeof answer === 'number' ? answer : 302,
      receivedAt: Date.now(),
    });
    if (answer === 'hang') {
      this.hanging.add(response);
      response.on('close', () => this.hanging.delete(response));
      return;
    }
    if (typeof answer === 'number') {
      response.writeHead(answer, { 'content-type': 'text/plain' }).end(answer < 300 ? 'ok' : 'no');
    } else {
      response.writeHead(302, { location: answer.redirect }).end();
    }
  }
}
