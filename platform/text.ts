import { z } from 'zod';

// Refused: controls (\p{Cc}), private use (\p{Co}), unassigned code points (\p{Cn}), lone surrogates (\p{Cs}: with the u
// flag it matches only lone ones, which PostgreSQL cannot store) and invisible format characters (\p{Cf}: bidi overrides
// that reorder what a reader sees, zero-width spaces, soft hyphens) — except the format characters that emoji and
// scripts need inside a name: the zero-width joiner U+200D (👩‍💻, 👨‍👩‍👧), the non-joiner U+200C (Persian, Indic
// scripts) and the tag characters U+E0020–E007F (subdivision flags such as 🏴󠁧󠁢󠁳󠁣󠁴󠁿).
const joiners = String.raw`\u200C\u200D\u{E0020}-\u{E007F}`;
const printable = new RegExp(String.raw`^(?:[${joiners}]|[^\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Cs}])*$`, 'u');
// The same, but line breaks and tabs are allowed (replies, notes, details).
const printableLines = new RegExp(String.raw`^(?:[\n\r\t${joiners}]|[^\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Cs}])*$`, 'u');
// A joiner alone is not a name: at least one character that shows.
const visible = /[^\s\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Cs}]/u;

/**
 * Free text a person types on one line (names, summaries): trimmed, 1..max characters, any printable Unicode
 * (emoji sequences joined by ZWJ included), well-formed (no lone surrogates), no control or invisible format characters.
 */
export const text = (max: number) =>
  z.string().trim().min(1).max(max).regex(printable, 'must be printable text').regex(visible, 'must be printable text');

/** Like `text`, over several lines: line breaks and tabs are allowed. `min: 0` allows an empty value. */
export const multilineText = (max: number, min = 1) => z.string().trim().min(min).max(max).regex(printableLines, 'must be printable text');
