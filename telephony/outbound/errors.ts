import { HotlineError } from '../../platform/errors.ts';

/** Refusals of a callback request; codes are stable for the console, messages Chinese and English. */
export function outboundRefusal(code: string, status: 400 | 404 | 409 | 503, messageZh: string, messageEn: string): HotlineError {
  return new HotlineError(code, status, messageEn, messageZh);
}
