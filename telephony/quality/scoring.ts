import { HotlineError } from '../../platform/errors.ts';
import type { FormItem } from './quality.sql.ts';

export const invalidScore = (en: string, zh: string) => new HotlineError('invalid_score', 400, en, zh);

/**
 * A review's score from a form: each normal item earns 0..weight points; the score is the share of the weights
 * earned (0–100, one decimal). A fatal item (致命项: wrong legal information, rudeness) is passed or failed; one
 * failed makes the score 0 and flags the review fatal — a fatal error is never averaged away by good items.
 */
export function scoreOf(items: FormItem[], points: Record<string, number>, fatalFailed: string[]): { score: number; fatal: boolean } {
  const normal = items.filter((i) => !i.fatal);
  const fatalKeys = new Set(items.filter((i) => i.fatal).map((i) => i.key));
  for (const key of Object.keys(points)) {
    if (!normal.some((i) => i.key === key)) throw invalidScore(`No scored item "${key}" on this form`, `评分表没有评分项“${key}”`);
  }
  for (const key of fatalFailed) {
    if (!fatalKeys.has(key)) throw invalidScore(`No fatal item "${key}" on this form`, `评分表没有致命项“${key}”`);
  }
  let earned = 0;
  let total = 0;
  for (const item of normal) {
    const p = points[item.key];
    if (p === undefined) throw invalidScore(`Item "${item.label}" has no points`, `评分项“${item.label}”未评分`);
    if (!Number.isInteger(p) || p < 0 || p > item.weight) throw invalidScore(`Item "${item.label}" takes 0–${item.weight} points`, `评分项“${item.label}”的分值须为 0–${item.weight} 的整数`);
    earned += p;
    total += item.weight;
  }
  if (fatalFailed.length > 0) return { score: 0, fatal: true };
  return { score: total === 0 ? 100 : Math.round((earned / total) * 1000) / 10, fatal: false };
}

/** A form's items must be named once each, and at least one of them scored. */
export function checkItems(items: FormItem[]): void {
  const keys = new Set(items.map((i) => i.key));
  if (keys.size !== items.length) throw new HotlineError('invalid_form', 400, 'Each item needs its own key', '评分项的编号不能重复');
  if (!items.some((i) => !i.fatal && i.weight > 0)) throw new HotlineError('invalid_form', 400, 'A form needs at least one scored item with a weight', '评分表至少需要一个有分值的评分项');
  if (items.some((i) => i.fatal && i.weight !== 0)) throw new HotlineError('invalid_form', 400, 'A fatal item is passed or failed: its weight is 0', '致命项只判是否违反，分值须为 0');
}
