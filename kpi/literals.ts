/**
 * SQL literals for values the kpi capability builds into query text (after validation; never raw user text).
 * Query text is assembled because the measure expressions are shared between several queries.
 */
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const codePattern = /^[A-Za-z0-9_.-]{1,64}$/;

export function uuidLit(id: string): string {
  if (!uuidPattern.test(id)) throw new Error(`not a uuid: ${JSON.stringify(id)}`);
  return `'${id.toLowerCase()}'::uuid`;
}

export function uuidArrayLit(ids: readonly string[]): string {
  return `array[${ids.map((id) => `'${uuidLit(id).slice(1, 37)}'`).join(',')}]::uuid[]`;
}

export function timeLit(at: Date | string): string {
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) throw new Error(`not a time: ${String(at)}`);
  return `'${date.toISOString()}'::timestamptz`;
}

export function codeLit(code: string): string {
  if (!codePattern.test(code)) throw new Error(`not a code: ${JSON.stringify(code)}`);
  return `'${code}'`;
}

export function intLit(n: number): string {
  if (!Number.isSafeInteger(n)) throw new Error(`not an integer: ${n}`);
  return String(n);
}
