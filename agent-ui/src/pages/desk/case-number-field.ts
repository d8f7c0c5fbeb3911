import { parseCaseNumber } from '../../../../tickets/case-number.ts';

/**
 * The case-number check of the work-order form: the tickets capability's own parser, bundled into the
 * console, so the form refuses exactly what the server would refuse and shows the saved form as you type.
 */
export function checkCaseNumber(input: string | undefined, language: string): { normalized?: string; error?: string } {
  if (!input || input.trim() === '') return {};
  const result = parseCaseNumber(input);
  if (result.ok) return { normalized: result.value.normalized };
  return { error: language.startsWith('zh') ? result.error.messageZh : result.error.message };
}
