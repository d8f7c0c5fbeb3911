import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The HTTPS gateway's signature, both ways (requests, the gateway's answers, its receipt callbacks):
 * hex HMAC-SHA256 over "<timestamp>.<body>" with the shared secret, in headers `x-sms-timestamp` (Unix ms)
 * and `x-sms-signature`. A signature older or newer than five minutes is refused (no replays).
 */
export const timestampHeader = 'x-sms-timestamp';
export const signatureHeader = 'x-sms-signature';
export const maxSkewMs = 5 * 60_000;

export function sign(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

export function signedHeaders(secret: string, body: string, now = Date.now()): Record<string, string> {
  const timestamp = String(now);
  return { [timestampHeader]: timestamp, [signatureHeader]: sign(secret, timestamp, body) };
}

type HeaderValue = string | string[] | undefined;

/** Whether the body carries a valid, fresh signature of the secret. */
export function verifySignature(secret: string, headers: Record<string, HeaderValue>, body: string, now = Date.now()): boolean {
  const timestamp = headers[timestampHeader];
  const signature = headers[signatureHeader];
  if (typeof timestamp !== 'string' || typeof signature !== 'string' || !/^\d{10,16}$/.test(timestamp) || !/^[\da-f]{64}$/i.test(signature)) return false;
  if (Math.abs(now - Number(timestamp)) > maxSkewMs) return false;
  const expected = Buffer.from(sign(secret, timestamp, body), 'hex');
  return timingSafeEqual(expected, Buffer.from(signature, 'hex'));
}
