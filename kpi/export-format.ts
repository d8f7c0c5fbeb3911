/**
 * How an exported KPI cell reads to a person: rates as percentages, durations in seconds, minutes and hours,
 * times and buckets in China time (Asia/Shanghai, no daylight saving since 1991).
 */
import type { Grain } from './query.ts';
import type { ExportLang } from './key-names.ts';

const chinaOffsetMs = 8 * 3_600_000;

/** "95.2%" (one decimal, as the console shows it); no denominator → empty. */
export function percentText(rate: number | null): string {
  return rate === null ? '' : `${(rate * 100).toFixed(1)}%`;
}

/** Seconds as "8秒", "2分05秒", "1小时02分" (English "8 s", "2 min 05 s", "1 h 02 min"); none → empty. */
export function durationText(seconds: number | null, lang: ExportLang): string {
  if (seconds === null) return '';
  const s = Math.round(seconds);
  const pad = (n: number) => String(n).padStart(2, '0');
  if (s < 60) return lang === 'en' ? `${s} s` : `${s}秒`;
  if (s < 3600) return lang === 'en' ? `${Math.floor(s / 60)} min ${pad(s % 60)} s` : `${Math.floor(s / 60)}分${pad(s % 60)}秒`;
  const minutes = Math.round(s / 60);
  return lang === 'en' ? `${Math.floor(minutes / 60)} h ${pad(minutes % 60)} min` : `${Math.floor(minutes / 60)}小时${pad(minutes % 60)}分`;
}

/** An instant as China wall time, "YYYY-MM-DD HH:mm". */
export function chinaTime(at: Date | string): string {
  const local = new Date(new Date(at).getTime() + chinaOffsetMs).toISOString();
  return `${local.slice(0, 10)} ${local.slice(11, 16)}`;
}

/** A China-time date, "YYYY-MM-DD", of an instant (`endExclusive`: of the moment just before it). */
export function chinaDate(at: Date | string, endExclusive = false): string {
  return new Date(new Date(at).getTime() + chinaOffsetMs - (endExclusive ? 1 : 0)).toISOString().slice(0, 10);
}

/** The span as people say it: "2026-03-10 至 2026-03-12" (whole days), or with times when it does not start or end at midnight. */
export function spanText(from: string, to: string, lang: ExportLang): string {
  const wholeDays = chinaTime(from).endsWith('00:00') && chinaTime(to).endsWith('00:00');
  const [a, b] = wholeDays ? [chinaDate(from), chinaDate(to, true)] : [chinaTime(from), chinaTime(to)];
  if (a === b) return a;
  return lang === 'en' ? `${a} to ${b}` : `${a} 至 ${b}`;
}

/** A table bucket (`YYYY-MM-DDTHH:mm`, China time) named for its grain: an hour, a day, a week, a month. */
export function bucketText(bucket: string, grain: Grain, lang: ExportLang): string {
  switch (grain) {
    case 'hour':
      return `${bucket.slice(0, 10)} ${bucket.slice(11, 16)}`;
    case 'week':
      return lang === 'en' ? `week of ${bucket.slice(0, 10)}` : `${bucket.slice(0, 10)} 起一周`;
    case 'month':
      return bucket.slice(0, 7);
    default:
      return bucket.slice(0, 10);
  }
}
