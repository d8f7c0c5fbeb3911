import type { Logger } from '../../platform/logger.ts';

export interface LoggedLine {
  level: 'error' | 'warn' | 'info' | 'debug';
  msg: string;
  fields: Record<string, unknown>;
}

/** A logger that keeps what it is told, in order, for tests that check what was said (and at which level). */
export function loggedLines(): { logger: Logger; lines: LoggedLine[] } {
  const lines: LoggedLine[] = [];
  const at = (level: LoggedLine['level']) => (fields: Record<string, unknown>, msg: string) => void lines.push({ level, msg, fields });
  const logger = { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug'), child: () => logger } as unknown as Logger;
  return { logger, lines };
}
