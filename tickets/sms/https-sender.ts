import { readFileSync } from 'node:fs';
import { Agent, request } from 'undici';
import type { Logger } from '../../platform/logger.ts';
import { SmsNotSent, type SmsReceipt, type SmsSender, type SmsSubmitResult } from '../ports.ts';
import { signedHeaders, verifySignature } from './signature.ts';
import { maskGatewayText } from './text.ts';

export interface HttpsSettings {
  url: string;
  secret: string;
  caFile?: string | undefined;
  timeoutMs?: number;
}

/** Errors that mean the request never reached the gateway: sending again cannot double the message. */
const notConnected = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_HAS_EXPIRED']);

/**
 * A plain HTTPS SMS gateway: POST <url>/messages {to, text, idempotencyKey}, signed with the shared secret
 * (signature.ts) and keyed by `Idempotency-Key` (the delivery id), so the gateway drops a repeat: this
 * gateway is idempotent. Its answer {messageId} must be signed too. Receipts come to the callback route
 * (receipt.routes.ts), not through this object.
 */
export function httpsSender(settings: HttpsSettings, logger: Logger): SmsSender & { receiptListeners: ((r: SmsReceipt) => Promise<void>)[] } {
  const log = logger.child({ gateway: 'https' });
  const dispatcher = new Agent({ connect: settings.caFile ? { ca: readFileSync(settings.caFile, 'utf8') } : {}, headersTimeout: settings.timeoutMs ?? 10_000, bodyTimeout: settings.timeoutMs ?? 10_000 });
  const endpoint = `${settings.url.replace(/\/+$/, '')}/messages`;
  const receiptListeners: ((r: SmsReceipt) => Promise<void>)[] = [];
  return {
    name: 'https',
    idempotent: true,
    receiptListeners,
    async send(message): Promise<SmsSubmitResult> {
      const body = JSON.stringify({ to: message.to, text: message.text, idempotencyKey: message.idempotencyKey });
      let response;
      try {
        response = await request(endpoint, {
          method: 'POST',
          dispatcher,
          headers: { 'content-type': 'application/json', 'idempotency-key': message.idempotencyKey, ...signedHeaders(settings.secret, body) },
          body,
        });
      } catch (err) {
        const code = (err as { code?: string }).code ?? (err as { cause?: { code?: string } }).cause?.code ?? '';
        if (notConnected.has(code)) throw new SmsNotSent(`HTTPS gateway not reached (${code})`);
        throw new Error(`HTTPS gateway request failed (${code || (err as Error).message})`);
      }
      const text = await response.body.text();
      if (response.statusCode >= 500 || response.statusCode === 408 || response.statusCode === 429) {
        // The gateway may or may not have taken it: the retry repeats the key, and the gateway drops a duplicate.
        throw new Error(`HTTPS gateway answered ${response.statusCode}`);
      }
      if (!verifySignature(settings.secret, response.headers, text)) {
        log.error({ status: response.statusCode }, 'HTTPS gateway answer has a bad signature: not trusted');
        throw new Error('HTTPS gateway answer is not signed with the shared secret');
      }
      let parsed: { messageId?: unknown; error?: unknown };
      try {
        parsed = JSON.parse(text) as typeof parsed;
      } catch {
        throw new Error('HTTPS gateway answer is not JSON');
      }
      if (response.statusCode >= 400) return { accepted: false, detail: `refused (${response.statusCode}${typeof parsed.error === 'string' ? `: ${maskGatewayText(parsed.error)}` : ''})` };
      if (typeof parsed.messageId !== 'string' || parsed.messageId.length === 0 || parsed.messageId.length > 100) throw new Error('HTTPS gateway answer has no messageId');
      return { accepted: true, messageId: parsed.messageId, detail: `accepted (${response.statusCode})` };
    },
    onReceipt(listener) {
      receiptListeners.push(listener);
    },
    start() {},
    async close() {
      await dispatcher.close();
    },
  };
}
