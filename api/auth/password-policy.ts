import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import type * as Common from '@zxcvbn-ts/language-common';
import type * as En from '@zxcvbn-ts/language-en';
import { createRequire } from 'node:module';
import { HotlineError } from '../../platform/errors.ts';
import { passwordRules } from './passwords.ts';

/**
 * The password policy, wherever a password is set (an admin creating a user or resetting a password, a user changing
 * their own, the first admin from the command line):
 *  - length: passwordRules.min to passwordRules.max characters (the route schemas check it first);
 *  - not the username, and not containing it;
 *  - not guessable: zxcvbn-ts (a maintained estimator with the common-password, name and word lists of its language
 *    packages, keyboard patterns, repeats, sequences and dates) must rate it at least `minScore` (3: "safely
 *    unguessable", about 10^8 guesses), with the user's own names and the hotline's words as known inputs.
 */
export const minScore = 3;

/** Words anyone would try first against this system. */
const contextWords = ['12368', 'hotline', 'court', 'fayuan', 'rexian', 'susong'];

let estimator: ZxcvbnFactory | undefined;
/**
 * Built on the first password checked: the word lists are ~12 MB of heap that a process setting no password (the
 * telephony role, a worker) would otherwise keep from start-up, and a larger old generation is a longer full GC.
 */
const zxcvbn = () => {
  if (estimator) return estimator;
  const load = createRequire(import.meta.url);
  const common = load('@zxcvbn-ts/language-common') as typeof Common;
  const en = load('@zxcvbn-ts/language-en') as typeof En;
  return (estimator = new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...en.dictionary },
    graphs: common.adjacencyGraphs,
    translations: en.translations,
  }));
};

export interface PasswordOwner {
  username: string;
  displayName?: string | undefined;
}

/** Why the password is refused, or undefined when the policy accepts it. */
export function passwordWeakness(password: string, owner: PasswordOwner): { en: string; zh: string } | undefined {
  const length = [...password].length;
  if (length < passwordRules.min) return { en: `Use at least ${passwordRules.min} characters.`, zh: `密码至少需要 ${passwordRules.min} 个字符。` };
  if (length > passwordRules.max) return { en: `Use at most ${passwordRules.max} characters.`, zh: `密码最多 ${passwordRules.max} 个字符。` };
  const name = owner.username.trim().toLowerCase();
  if (name.length > 0 && password.toLowerCase().includes(name)) {
    return { en: 'The password must not contain the username.', zh: '密码不能包含用户名。' };
  }
  // The names as a whole, word by word and run together ("Wang Fang", "wang", "fang", "wangfang").
  const names = [owner.username, owner.displayName ?? ''].flatMap((n) => [n, ...n.split(/[\s._-]+/), n.replace(/[\s._-]+/g, '')]).filter((n) => n.length > 1);
  const result = zxcvbn().check(password, [...new Set(names.map((n) => n.toLowerCase())), ...contextWords]);
  if (result.score >= minScore) return undefined;
  const hint = result.feedback.warning ? ` ${result.feedback.warning}` : '';
  return {
    en: `This password is too easy to guess.${hint} Use a longer phrase of unrelated words, or mix words, digits and signs.`,
    zh: '密码太容易被猜中（常见密码、重复或连续的字符、键盘排列、用户名等）。请使用更长的、由几个不相关词语组成的短语，或混合字母、数字和符号。',
  };
}

export const weakPassword = (reason: { en: string; zh: string }) => new HotlineError('weak_password', 422, reason.en, reason.zh);

/** Throws a 422 `weak_password` naming why, when the policy refuses the password. */
export function assertPasswordPolicy(password: string, owner: PasswordOwner): void {
  const weakness = passwordWeakness(password, owner);
  if (weakness) throw weakPassword(weakness);
}
