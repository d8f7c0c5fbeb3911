import { z } from 'zod';

// With the u flag, \p{Cs} matches only lone surrogates (paired ones form one code point).
const printable = /^[^\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Cs}]*$/u;
// The same, but line breaks and tabs are allowed (replies, notes, details).
const printableLines = /^(?:[\n\r\t]|[^\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Cs}])*$/u;

/**
 * Free text a person types on one line (names, summaries): trimmed, 1..max characters, well-formed unicode
 * (no lone surrogates, which PostgreSQL cannot store), no control or invisible format characters.
 */
export const text = (max: number) => z.string().trim().min(1).max(max).regex(printable, 'must be printable text');

/** Like `text`, over several lines: line breaks and tabs are allowed. `min: 0` allows an empty value. */
export const multilineText = (max: number, min = 1) => z.string().trim().min(min).max(max).regex(printableLines, 'must be printable text');
