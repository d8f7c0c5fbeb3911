/** Test helper: a real HTTPS SMS gateway (self-signed certificate made with openssl) that checks signatures both ways. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signedHeaders, verifySignature } from '../sms/signature.ts';

export interface GatewayMessage {
  to: string;
  text: string;
  idempotencyKey: string;
  messageId: string;
}

export interface TestHttpsGateway {
  url: string;
  /** The certificate (its own CA), for SMS_HTTPS_CA_FILE. */
  caFile: string;
  /** Messages taken, once per idempotency key. */
  messages: GatewayMessage[];
  /** Requests refused for a bad signature. */
  refused: number;
  /** Requests seen, duplicates included. */
  requests: number;
  /** The secret the gateway signs its answers with (a test may make it wrong). */
  answerSecret: string;
  close(): Promise<void>;
}

/** A self-signed certificate for 127.0.0.1, made fresh for the test run. */
export function selfSignedCertificate(): { key: string; cert: string; certFile: string } {
  const dir = mkdtempSync(join(tmpdir(), 'sms-gw-'));
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8'), certFile };
}

export async function testHttpsGateway(secret: string): Promise<TestHttpsGateway> {
  const { key, cert, certFile } = selfSignedCertificate();
  let n = 0;
  const gateway: TestHttpsGateway = { url: '', caFile: certFile, messages: [], refused: 0, requests: 0, answerSecret: secret, close: async () => undefined };
  const server: Server = createServer({ key, cert }, (request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      gateway.requests++;
      const answer = (status: number, value: object) => {
        const text = JSON.stringify(value);
        response.writeHead(status, { 'content-type': 'application/json', ...signedHeaders(gateway.answerSecret, text) });
        response.end(text);
      };
      if (request.method !== 'POST' || request.url !== '/sms/messages') return answer(404, { error: 'not found' });
      if (!verifySignature(secret, request.headers, body)) {
        gateway.refused++;
        return answer(401, { error: 'bad signature' });
      }
      const message = JSON.parse(body) as { to: string; text: string; idempotencyKey: string };
      if (message.idempotencyKey !== request.headers['idempotency-key']) return answer(400, { error: 'key mismatch' });
      const earlier = gateway.messages.find((m) => m.idempotencyKey === message.idempotencyKey);
      if (earlier) return answer(200, { messageId: earlier.messageId, duplicate: true });
      if (message.to === '13700000009') return answer(422, { error: `number 13700000009 is barred` });
      const messageId = `gw-${++n}`;
      gateway.messages.push({ ...message, messageId });
      answer(202, { messageId });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  gateway.url = `https://127.0.0.1:${(server.address() as { port: number }).port}/sms`;
  gateway.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return gateway;
}

/** The gateway's receipt callback to the hotline, signed with `secret` (a test passes a wrong one). */
export async function postReceipt(hotlineUrl: string, secret: string, receipt: { messageId: string; status: string; detail?: string }): Promise<{ status: number; body: unknown }> {
  const body = JSON.stringify(receipt);
  const response = await fetch(`${hotlineUrl}/api/sms/receipts`, { method: 'POST', headers: { 'content-type': 'application/json', ...signedHeaders(secret, body) }, body });
  return { status: response.status, body: await response.json() };
}

