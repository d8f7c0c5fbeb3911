/**
 * Masking of personal data (phone numbers, ID numbers) for lists and logs. Reuse these wherever a
 * caller's or user's number is shown in a list or written to a log; full values only on detail views
 * that need them (e.g. the operator dialling a callback).
 */

/** "13812345678" → "138****5678"; "010-62345678" → "010****5678"; short extensions ("8001") are kept. */
export function maskPhone(value: string | null | undefined): string | null {
  if (value == null) return null;
  const digits = value.replace(/\D/g, '');
  if (digits.length < 7) return value;
  return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 7)}****${digits.slice(-4)}`.replace(/\*{5,}/, '****');
}

/** Resident ID "110101199003071234" → "110101********1234"; other ID-like values keep their first 2 and last 2. */
export function maskIdNumber(value: string | null | undefined): string | null {
  if (value == null) return null;
  if (/^\d{17}[\dXx]$/.test(value) || /^\d{15}$/.test(value)) return `${value.slice(0, 6)}${'*'.repeat(value.length - 10)}${value.slice(-4)}`;
  if (value.length <= 4) return '*'.repeat(value.length);
  return `${value.slice(0, 2)}${'*'.repeat(value.length - 4)}${value.slice(-2)}`;
}

const idInText = /(?<!\d)(\d{6})(\d{8})(\d{3}[\dXx])(?![\dXx])/g;
const mobileInText = /(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)/g;
const landlineInText = /(?<!\d)(0\d{2,3})-?(\d{3,4})(\d{4})(?!\d)/g;

/** Masks every ID number and phone number found in free text (notes, log messages). */
export function maskPersonalText(text: string): string {
  return text
    .replace(idInText, (_m, head: string, middle: string, tail: string) => `${head}${'*'.repeat(middle.length)}${tail}`)
    .replace(mobileInText, (_m, head: string, _mid: string, tail: string) => `${head}****${tail}`)
    .replace(landlineInText, (_m, area: string, _mid: string, tail: string) => `${area}-****${tail}`);
}

const uuidLike = /^[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}$/i;
const numberLike = /^\+?[\d\s()-]{7,24}$/;
/** The product's own event ids ("<ms>-<seq>", Redis stream ids) look like numbers but are not personal. */
const streamIdLike = /^\d{13}-\d{1,6}$/;

/** One path segment or query value: a whole phone or ID number is masked; ids (UUIDs) are left whole. */
function maskUrlPart(raw: string): string {
  let value: string;
  try {
    value = decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    value = raw;
  }
  if (uuidLike.test(value)) return raw;
  if (/^\d{17}[\dXx]$/.test(value) || /^\d{15}$/.test(value)) return maskIdNumber(value)!;
  const digits = value.replace(/\D/g, '').length;
  if (numberLike.test(value) && digits >= 7 && digits <= 15 && !streamIdLike.test(value)) return maskPhone(value)!;
  const masked = maskPersonalText(value);
  return masked === value ? raw : masked;
}

/**
 * A request URL fit for a log line: every path segment and query value that is, or contains, a phone or ID
 * number is masked (e.g. /api/telephony/callers/138****5678/history), on every route.
 */
export function maskUrl(url: string): string {
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  const maskedPath = path.split('/').map(maskUrlPart).join('/');
  if (q === -1) return maskedPath;
  const query = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      return eq === -1 ? maskUrlPart(pair) : `${pair.slice(0, eq)}=${maskUrlPart(pair.slice(eq + 1))}`;
    })
    .join('&');
  return `${maskedPath}?${query}`;
}
