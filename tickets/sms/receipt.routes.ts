import { z } from 'zod';
import { errorResponses, type ApiApp } from '../../platform/http/schemas.ts';
import { HotlineError } from '../../platform/errors.ts';
import type { SmsReceipt } from '../ports.ts';
import { verifySignature } from './signature.ts';
import { maskGatewayText } from './text.ts';

/** What the HTTPS gateway posts: the message id it gave, and the final state. */
const receiptBody = z.strictObject({
  messageId: z.string().min(1).max(100),
  status: z.enum(['delivered', 'undeliverable', 'rejected', 'expired', 'failed']),
  detail: z.string().max(500).optional(),
});

const receiptAnswer = z.object({ outcome: z.enum(['applied', 'already_applied', 'unmatched']) }).meta({ id: 'SmsReceiptOutcome' });

const badSignature = () =>
  new HotlineError('bad_signature', 401, 'The receipt is not signed with the shared SMS secret (or its timestamp is stale)', '回执签名无效（或时间戳过期），未予处理');

/**
 * `POST /api/sms/receipts`: the HTTPS gateway's delivery receipts. Public (the gateway has no session) but
 * signed: the signature is checked over the raw body before anything is parsed, and a receipt with a bad or
 * stale signature is refused (401) and changes nothing.
 */
export function registerSmsReceiptRoute(app: ApiApp, secret: string, apply: (receipt: SmsReceipt) => Promise<'applied' | 'already_applied' | 'unmatched'>): void {
  void app.register(async (scope) => {
    // The raw text is what was signed: kept as it came, parsed only once the signature holds.
    scope.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => done(null, body));
    scope.post('/api/sms/receipts', {
      config: { roles: 'public' },
      schema: {
        tags: ['sms'],
        summary: "The HTTPS SMS gateway's delivery receipt (signed with the shared secret)",
        // The raw JSON text {messageId, status, detail?}: validated (receiptBody) after its signature.
        body: z.string().max(10_000),
        response: { 200: receiptAnswer, ...errorResponses },
      },
      handler: async (request) => {
        const raw = typeof request.body === 'string' ? request.body : '';
        if (!verifySignature(secret, request.headers, raw)) throw badSignature();
        let json: unknown;
        try {
          json = JSON.parse(raw);
        } catch {
          throw new HotlineError('invalid_input', 400, 'The receipt is not JSON', '回执不是有效的 JSON');
        }
        const parsed = receiptBody.safeParse(json);
        if (!parsed.success) throw new HotlineError('invalid_input', 400, `Invalid receipt: ${parsed.error.issues[0]?.message ?? ''}`, '回执格式不正确');
        const { messageId, status, detail } = parsed.data;
        const delivered = status === 'delivered';
        return { outcome: await apply({ messageId, delivered, state: status, detail: detail ? `${status}: ${maskGatewayText(detail)}` : status }) };
      },
    });
  });
}
