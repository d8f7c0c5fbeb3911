/**
 * The one error type of the hotline: a stable code, an HTTP status, and a message in English and Chinese.
 * Any capability's service throws it (a refused command throws before writing anything); the api capability's
 * one error handler renders it as `{code, message, message_zh}` with its status.
 */
export class HotlineError extends Error {
  constructor(
    readonly code: string,
    readonly httpStatus: number,
    message: string,
    readonly messageZh: string,
    /** Extra response headers, e.g. Retry-After. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HotlineError';
  }
}

/** A refusal (a 4xx HotlineError): trying the same again would not help, unlike a failure (5xx, or any other error). */
export function isRefusal(err: unknown): err is HotlineError {
  return err instanceof HotlineError && err.httpStatus < 500;
}
