import type { HotlineError } from '../platform/errors.ts';
import { invalid } from './errors.ts';

/**
 * Chinese court case numbers (案号), per the Supreme People's Court rules on case numbers:
 * "（" + year + "）" + court code + case-type code + sequence + "号", e.g. （2024）豫0811民初1234号.
 * Input may use half- or full-width brackets (or 〔〕【】[]), full-width digits and stray spaces;
 * it is saved in the one canonical form with full-width parentheses and half-width digits.
 */
export interface CaseNumber {
  year: number;
  /** Court code: a province abbreviation plus 0, 2 or 4 digits (豫, 豫08, 豫0811), or 最高法. */
  court: string;
  /** Case-type code, e.g. 民初, 民终, 执, 执恢, 刑初, 行初, 民申. */
  caseType: string;
  sequence: number;
  normalized: string;
}

export type CaseNumberResult = { ok: true; value: CaseNumber } | { ok: false; error: HotlineError };

const provinces = '京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川贵云藏陕甘青宁新兵军';
const openBrackets = '（(〔【[［';
const closeBrackets = '）)〕】]］';

const pattern = new RegExp(
  `^[${escape(openBrackets)}]?(\\d{4})[${escape(closeBrackets)}]?` + // year, brackets optional
    `(最高法|[${provinces}](?:\\d{4}|\\d{2})?)` + // court
    `([\\u4e00-\\u9fff]{1,6}?)` + // case type (CJK, shortest before the digits)
    `(\\d{1,7})号?$`,
);

export function parseCaseNumber(input: string, currentYear = new Date().getFullYear()): CaseNumberResult {
  const text = toHalfWidthDigits(input).replace(/[\s\u3000]+/g, '');
  if (text.length === 0) return fail('case_number_empty', 'The case number is empty', '案号为空');
  const match = pattern.exec(text);
  if (!match) {
    return fail('case_number_invalid', `"${input}" is not a case number like （2024）豫0811民初1234号`, `“${input}”不是有效的案号，格式应如（2024）豫0811民初1234号`);
  }
  const [, yearText, court, caseType, sequenceText] = match as unknown as [string, string, string, string, string];
  const year = Number(yearText);
  if (year < 1949 || year > currentYear + 1) {
    return fail('case_number_year', `The case number's year ${year} is not plausible`, `案号中的年度 ${year} 不正确`);
  }
  const sequence = Number(sequenceText);
  if (sequence === 0) return fail('case_number_sequence', 'The case sequence number cannot be 0', '案件编号不能为 0');
  return { ok: true, value: { year, court, caseType, sequence, normalized: `（${year}）${court}${caseType}${sequence}号` } };
}

/** The canonical form, or throws the HotlineError that says what is wrong. */
export function normalizeCaseNumber(input: string, currentYear?: number): string {
  const result = parseCaseNumber(input, currentYear);
  if (!result.ok) throw result.error;
  return result.value.normalized;
}

function toHalfWidthDigits(text: string): string {
  return text.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
}

function escape(chars: string): string {
  return chars.replace(/[[\]()\\]/g, '\\$&');
}

function fail(code: string, message: string, messageZh: string): CaseNumberResult {
  return { ok: false, error: invalid(code, message, messageZh) };
}
