import { HotlineError } from '../errors.ts';

/** The errors every capability needs; add your own with `new HotlineError(...)`. */
export const errors = {
  invalidInput: (detail: string) => new HotlineError('invalid_input', 400, `Invalid input: ${detail}`, `输入有误：${detail}`),
  malformedJson: () => new HotlineError('malformed_json', 400, 'The request body is not valid JSON.', '请求内容不是有效的 JSON。'),
  unauthenticated: () => new HotlineError('unauthenticated', 401, 'Please sign in.', '请先登录。'),
  forbidden: () => new HotlineError('forbidden', 403, 'Your role does not allow this.', '您的角色无权执行此操作。'),
  /** Also used for another court's ids, so their existence does not leak. */
  notFound: (what = 'resource') => new HotlineError('not_found', 404, `No such ${what}.`, '未找到该记录。'),
  conflict: (message: string, messageZh: string) => new HotlineError('conflict', 409, message, messageZh),
  bodyTooLarge: () => new HotlineError('body_too_large', 413, 'The request body is too large.', '请求内容过大。'),
  unsupportedMediaType: () => new HotlineError('unsupported_media_type', 415, 'Send the body as application/json.', '请以 application/json 格式提交。'),
  rateLimited: (retryAfterSeconds: number) =>
    new HotlineError('rate_limited', 429, `Too many requests; try again in ${retryAfterSeconds} s.`, `请求过于频繁，请 ${retryAfterSeconds} 秒后再试。`, {
      'retry-after': String(retryAfterSeconds),
    }),
  internal: () => new HotlineError('internal_error', 500, 'Something went wrong on our side; it has been logged.', '系统内部错误，已记录。'),
} as const;
