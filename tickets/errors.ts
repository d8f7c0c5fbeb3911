import { HotlineError } from '../platform/errors.ts';

/**
 * The tickets capability's refusals, as the hotline's one error type (platform/errors.ts): thrown before
 * anything is written, so a refused command changes nothing.
 */
export const notFound = (what: string, id: string) =>
  new HotlineError('not_found', 404, `${what} ${id} does not exist`, `${whatZh[what] ?? what} ${id} 不存在`);

const whatZh: Record<string, string> = { ticket: '工单', category: '工单类别', user: '用户', department: '部门', court: '法院' };

export const forbidden = (message: string, messageZh: string) => new HotlineError('forbidden', 403, message, messageZh);

export const invalid = (code: string, message: string, messageZh: string) => new HotlineError(code, 400, message, messageZh);

/** The command does not fit the ticket's current state (e.g. already accepted). */
export const conflict = (code: string, message: string, messageZh: string) => new HotlineError(code, 409, message, messageZh);
