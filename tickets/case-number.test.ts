import { describe, expect, it } from 'vitest';
import { normalizeCaseNumber, parseCaseNumber } from './case-number.ts';
import { HotlineError } from '../platform/errors.ts';

describe('parseCaseNumber', () => {
  it.each([
    ['（2024）豫0811民初1234号', '（2024）豫0811民初1234号'],
    ['(2024)豫0811民初1234号', '（2024）豫0811民初1234号'],
    ['〔2024〕豫0811民初1234号', '（2024）豫0811民初1234号'],
    ['【2024】豫0811民初1234号', '（2024）豫0811民初1234号'],
    ['[2024]豫0811民初1234号', '（2024）豫0811民初1234号'],
    ['（２０２４）豫０８１１民初１２３４号', '（2024）豫0811民初1234号'],
    [' ( 2024 ) 豫0811 民初 1234 号 ', '（2024）豫0811民初1234号'],
    ['2024豫0811民初1234号', '（2024）豫0811民初1234号'],
    ['(2024)豫0811民初1234', '（2024）豫0811民初1234号'],
    ['(2024)豫0811民初01234号', '（2024）豫0811民初1234号'],
    ['（2023）豫08民终567号', '（2023）豫08民终567号'],
    ['（2022）豫民申89号', '（2022）豫民申89号'],
    ['（2025）豫0811执恢12号', '（2025）豫0811执恢12号'],
    ['（2025）豫0811执1号', '（2025）豫0811执1号'],
    ['（2021）最高法民申4567号', '（2021）最高法民申4567号'],
    ['（2024）京0105刑初100号', '（2024）京0105刑初100号'],
  ])('%s → %s', (input, normalized) => {
    const result = parseCaseNumber(input, 2026);
    expect(result.ok && result.value.normalized).toBe(normalized);
  });

  it('splits the parts', () => {
    const result = parseCaseNumber('(2024)豫0811民初1234号', 2026);
    expect(result).toEqual({ ok: true, value: { year: 2024, court: '豫0811', caseType: '民初', sequence: 1234, normalized: '（2024）豫0811民初1234号' } });
  });

  it.each([
    ['', 'case_number_empty'],
    ['   ', 'case_number_empty'],
    ['1234', 'case_number_invalid'],
    ['（2024）民初1234号', 'case_number_invalid'], // no court code
    ['（2024）豫081民初1234号', 'case_number_invalid'], // 3-digit court code
    ['（2024）豫0811民初号', 'case_number_invalid'], // no sequence
    ['（2024）豫08111234号', 'case_number_invalid'], // no case type
    ['（2024）X0811民初1234号', 'case_number_invalid'], // not a province
    ['（24）豫0811民初1234号', 'case_number_invalid'],
    ['（2024）豫0811民初1234号号', 'case_number_invalid'],
    ['（1900）豫0811民初1234号', 'case_number_year'],
    ['（2099）豫0811民初1234号', 'case_number_year'],
    ['（2024）豫0811民初0号', 'case_number_sequence'],
  ])('refuses %j with %s', (input, code) => {
    const result = parseCaseNumber(input, 2026);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe(code);
      expect(result.error.httpStatus).toBe(400);
      expect(result.error.messageZh).toMatch(/案号|案件编号/);
    }
  });

  it('normalizeCaseNumber throws the HotlineError', () => {
    expect(normalizeCaseNumber('(2024)豫0811民初1234号', 2026)).toBe('（2024）豫0811民初1234号');
    expect(() => normalizeCaseNumber('nonsense', 2026)).toThrow(HotlineError);
  });
});
