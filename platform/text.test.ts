import { describe, expect, it } from 'vitest';
import { multilineText, text } from './text.ts';

const name = text(100);

describe('text (names, summaries)', () => {
  it.each([
    ['Chinese', '张三'],
    ['ZWJ-joined emoji (woman technologist)', '李四 👩‍💻'],
    ['a family of four', '👨‍👩‍👧‍👦 家庭'],
    ['a skin tone and a variation selector', '👍🏽 ❤️'],
    ['a subdivision flag (tag characters)', '🏴󠁧󠁢󠁳󠁣󠁴󠁿 Scotland'],
    ['a keycap', '1️⃣ 号窗口'],
    ['Persian with a non-joiner', 'می‌خواهم'],
    ['Tibetan and Uyghur', 'བཀྲ་ཤིས། ئۇيغۇر'],
  ])('accepts %s', (_label, value) => {
    expect(name.safeParse(value).success).toBe(true);
  });

  it.each([
    ['a bidi override', 'abc\u202Edcba'],
    ['a zero-width space', 'a\u200Bb'],
    ['a control character', 'a\u0007b'],
    ['a lone surrogate', 'a\uD83Db'],
    ['private use', 'a\uE000b'],
    ['only a joiner', '\u200D'],
    ['a line break', 'a\nb'],
  ])('refuses %s', (_label, value) => {
    expect(name.safeParse(value).success).toBe(false);
  });

  it('multiline text takes joined emoji and line breaks, not bidi overrides', () => {
    expect(multilineText(100).safeParse('第一行 👩‍⚖️\n第二行').success).toBe(true);
    expect(multilineText(100).safeParse('a\u202Eb').success).toBe(false);
  });
});
