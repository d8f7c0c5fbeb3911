/**
 * The one error type of the tickets capability: a stable code, an HTTP status, and a message in
 * Chinese and English. Thrown before anything is written, so a refused command changes nothing.
 */
export class TicketError extends Error {
  constructor(
    readonly code: string,
    readonly statusCode: 400 | 401 | 403 | 404 | 409,
    message: string,
    readonly messageZh: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'TicketError';
  }

  toJSON() {
    return { code: this.code, message: this.message, message_zh: this.messageZh, ...(this.details ? { details: this.details } : {}) };
  }
}

export const notFound = (what: string, id: string) =>
  new TicketError('not_found', 404, `${what} ${id} does not exist`, `${whatZh[what] ?? what} ${id} 不存在`, { id });

const whatZh: Record<string, string> = { ticket: '工单', category: '工单类别', user: '用户', department: '部门', court: '法院' };

export const forbidden = (message: string, messageZh: string) => new TicketError('forbidden', 403, message, messageZh);

export const invalid = (code: string, message: string, messageZh: string, details?: Record<string, unknown>) =>
  new TicketError(code, 400, message, messageZh, details);
