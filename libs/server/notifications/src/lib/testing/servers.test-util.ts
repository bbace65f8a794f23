// Real HTTP(S) servers on loopback standing in for Twilio, a webhook receiver and a push service (medium specs).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Agent, createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
  at: number;
}

/** What the server answers to request number i (0-based): a status, or 'hang' to never answer. */
export type Responder = (req: RecordedRequest, i: number) => { status: number; json?: unknown; delayMs?: number } | 'hang';

export interface StandIn {
  url: string;
  port: number;
  requests: RecordedRequest[];
  respond: Responder;
  close(): Promise<void>;
}

function handler(state: { requests: RecordedRequest[]; respond: Responder; hanging: ServerResponse[] }) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rec: RecordedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks), at: Date.now() };
      const i = state.requests.length;
      state.requests.push(rec);
      const r = state.respond(rec, i);
      if (r === 'hang') {
        state.hanging.push(res);
        return;
      }
      const answer = () => {
        if (res.destroyed) return;
        res.writeHead(r.status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(r.json ?? {}));
      };
      if (r.delayMs) setTimeout(answer, r.delayMs);
      else answer();
    });
  };
}

async function listen(server: Server, state: { requests: RecordedRequest[]; respond: Responder; hanging: ServerResponse[] }, scheme: 'http' | 'https'): Promise<StandIn> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const standIn: StandIn = {
    url: `${scheme}://127.0.0.1:${port}`,
    port,
    requests: state.requests,
    get respond() {
      return state.respond;
    },
    set respond(r: Responder) {
      state.respond = r;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const h of state.hanging) h.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return standIn;
}

export async function startHttpStandIn(respond: Responder = () => ({ status: 200 })): Promise<StandIn> {
  const state = { requests: [] as RecordedRequest[], respond, hanging: [] as ServerResponse[] };
  return listen(createServer(handler(state)), state, 'http');
}

/** An HTTPS server with a throw-away self-signed certificate for 127.0.0.1 and an Agent that trusts it. */
export async function startHttpsStandIn(respond: Responder = () => ({ status: 201 })): Promise<StandIn & { agent: Agent }> {
  const dir = mkdtempSync(join(tmpdir(), 'cs-push-tls-'));
  try {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
    ], { stdio: 'ignore' });
    const key = readFileSync(join(dir, 'key.pem'));
    const cert = readFileSync(join(dir, 'cert.pem'));
    const state = { requests: [] as RecordedRequest[], respond, hanging: [] as ServerResponse[] };
    const standIn = await listen(createHttpsServer({ key, cert }, handler(state)), state, 'https');
    return Object.assign(standIn, { agent: new Agent({ ca: cert, keepAlive: false }) });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Twilio's answer to a Messages.json POST (enough for the SDK). */
export const twilioCreated = (req: RecordedRequest) => {
  const form = new URLSearchParams(req.body.toString('utf8'));
  return {
    status: 201,
    json: { sid: `SM${'0'.repeat(32)}`, status: 'queued', to: form.get('To'), from: form.get('From'), body: form.get('Body'), account_sid: 'AC' },
  };
};
