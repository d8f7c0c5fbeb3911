/**
 * The voice menu (语音导航): one entry per DTMF digit. Each option queues the caller for an operator with
 * the skill that handles it. To add an option: add a line here, add its words to the `menu` prompt text in
 * asterisk-config/sounds/zh/menu.txt, and run asterisk-config/sounds/generate.sh (docs/telephony.md).
 */
export const menuOptions = [
  { digit: '1', option: 'judge_contact', skill: 'judge_contact', label: '联系承办法官 / contact the judge of my case' },
  { digit: '2', option: 'enquiry', skill: 'enquiry', label: '诉讼咨询 / enquiries' },
  { digit: '3', option: 'complaint', skill: 'complaint', label: '投诉建议 / complaints and suggestions' },
  { digit: '0', option: 'operator', skill: 'general', label: '人工服务 / operator' },
] as const;

export type MenuOption = (typeof menuOptions)[number];
export type Skill = MenuOption['skill'];
export const skills: readonly Skill[] = menuOptions.map((o) => o.skill);

/** The skill of callers who never chose: invalid or no input three times. */
export const fallbackSkill: Skill = 'general';

/** How many times the menu is repeated after the first hearing before the caller goes to an operator. */
export const menuRepeats = 2;

export function menuOptionFor(digit: string): MenuOption | undefined {
  return menuOptions.find((o) => o.digit === digit);
}

/** Prompt files under asterisk-config/sounds/zh/ (each with a .txt of its words). */
export const prompts = [
  'welcome',
  'menu',
  'invalid',
  'after-hours',
  'leave-message',
  'queue-wait',
  'offer-callback',
  'callback-confirmed',
  'message-saved',
  'goodbye',
  'position-ahead',
  'position-suffix',
  'position-many',
  'enter-case-number',
  'case-not-found',
  'connecting-judge',
  'transfer-unanswered',
  'not-in-service',
  'recording-notice',
  ...Array.from({ length: 10 }, (_, i) => `digit-${i}` as const),
] as const;

export type Prompt = (typeof prompts)[number];

/** Position announcement: "您前面还有 N 位" for 0–9 waiting ahead, "many" beyond. */
export function positionPrompts(ahead: number): Prompt[] {
  if (ahead > 9) return ['position-many'];
  return ['position-ahead', `digit-${Math.max(0, ahead)}` as Prompt, 'position-suffix'];
}
