/**
 * Search terms of a question typed in Chinese (or English). PostgreSQL's full-text search has no Chinese
 * parser, and pg_trgm ignores CJK characters under the C locale (and PGlite loads no extension by default),
 * so the search matches terms with ILIKE, which works the same on both. The terms are the words of ICU's
 * dictionary segmenter (Intl.Segmenter, built into Node: "怎么预约阅卷" → 怎么|预约|阅|卷), minus filler
 * words, plus every two-character run of the Chinese text, which catches words the dictionary split
 * ("阅卷", "到账", "诉讼费").
 */
const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

/** Words that say how a question is asked, not what it is about. */
const filler = new Set([
  '什么', '什么时候', '怎么', '怎么样', '怎样', '如何', '为什么', '哪里', '哪个', '哪些', '多少', '多久', '是否', '可以', '能否', '能不能', '请问',
  '我的', '我们', '你们', '一下', '这个', '那个', '需要', '应该', '还是', '已经', '没有', '现在', '时候', '知道', '想要', '要求',
]);
/** One-character particles that end or join a question. */
const particles = new Set(['吗', '呢', '的', '了', '吧', '啊', '呀', '么', '是', '在', '和', '与', '及', '或', '我', '你', '他', '她']);
const cjk = /\p{Script=Han}/u;
export const maxTerms = 24;

export interface SearchTerm {
  text: string;
  /** Words weigh more than the two-character runs that back them up. */
  weight: number;
}

export function searchTerms(query: string): SearchTerm[] {
  const terms = new Map<string, number>();
  const add = (text: string, weight: number) => {
    const key = text.toLowerCase();
    if ((terms.get(key) ?? 0) < weight) terms.set(key, weight);
  };
  // Chinese text between filler words, for the two-character runs ("执行款什么时候到账" → 执行款, 到账).
  const runs: string[] = [];
  let run = '';
  for (const { segment, isWordLike } of segmenter.segment(query.normalize('NFKC'))) {
    const content = isWordLike && !filler.has(segment) && !particles.has(segment);
    const han = cjk.test(segment);
    if (content && han) run += segment;
    else if (run) (runs.push(run), (run = ''));
    if (content && (han ? segment.length >= 2 : segment.length >= 2 || /\d/.test(segment))) add(segment, 1);
  }
  if (run) runs.push(run);
  for (const text of runs) {
    if (text.length === 1) add(text, 0.5);
    for (let i = 0; i + 2 <= text.length; i++) add(text.slice(i, i + 2), 0.5);
  }
  return [...terms].map(([text, weight]) => ({ text, weight })).slice(0, maxTerms);
}

/** `%term%` for ILIKE, with the pattern characters of the term escaped. */
export function containsPattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
