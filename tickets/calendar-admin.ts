import { z } from 'zod';
import { calendarDate, saneYears } from '../platform/http/schemas.ts';
import { text } from '../platform/text.ts';
import type { TicketActor, TicketContext } from './context.ts';
import { clearCourtCalendarDay, courtBusinessHours, listCourtCalendarYear, replaceCourtBusinessHours, setCourtCalendarDay } from './court-calendar.ts';
import { forbidden, notFound } from './errors.ts';
import { parseInput } from './schemas.ts';
import { calendarDayKinds } from './vocabulary.ts';

/** A calendar holds the years every date of the hotline may be in (saneYears, 2000–2100): the year 1 or 9999 is a 400. */
export const calendarYear = z.coerce.number().int().min(saneYears.min).max(saneYears.max);

export const calendarDaySchema = z.strictObject({
  day: calendarDate,
  kind: z.enum(calendarDayKinds),
  name: text(100),
  source: text(500),
});

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, 00:00–23:59');
const session = z
  .strictObject({ weekday: z.number().int().min(1).max(7), opens: clock, closes: clock })
  .refine((s) => s.opens < s.closes, 'a session opens before it closes');
export const businessHoursSchema = z.strictObject({
  sessions: z
    .array(session)
    .max(7 * 4)
    .refine((all) => new Set(all.map((s) => `${s.weekday} ${s.opens}`)).size === all.length, 'two sessions open on the same weekday at the same time'),
});

function mustBeAdmin(actor: TicketActor) {
  if (actor.role !== 'admin') throw forbidden('Only an admin edits the calendar', '只有系统管理员可以维护节假日和营业时间');
}

/** The court's year as it is used: the national default with the court's own days over it. */
export async function listCalendarDays(ctx: TicketContext, actor: TicketActor, year: number) {
  return listCourtCalendarYear(ctx.db, actor.courtId, parseInput(calendarYear, year));
}

/** Sets one day for the admin's own court only (a holiday or a make-up working day, with the notice it comes from). */
export async function setCalendarDay(ctx: TicketContext, actor: TicketActor, input: z.input<typeof calendarDaySchema>) {
  mustBeAdmin(actor);
  const day = parseInput(calendarDaySchema, input);
  const row = await setCourtCalendarDay(ctx.db, actor.courtId, day, ctx.clock.now());
  ctx.logger.info({ actor: actor.userId, court: actor.courtId, ...day }, 'court calendar day set');
  return row;
}

/** Drops the admin's court's own day: the national default applies to it again. */
export async function clearCalendarDay(ctx: TicketContext, actor: TicketActor, day: string) {
  mustBeAdmin(actor);
  const valid = parseInput(calendarDate, day);
  if (!(await clearCourtCalendarDay(ctx.db, actor.courtId, valid))) throw notFound('calendar day', valid);
  ctx.logger.info({ actor: actor.userId, court: actor.courtId, day: valid }, 'court calendar day cleared');
}

export async function businessHours(ctx: TicketContext, actor: TicketActor) {
  return { sessions: await courtBusinessHours(ctx.db, actor.courtId) };
}

/** Replaces the admin's court's week of hotline hours; the hotline controllers reload at once (NOTIFY). */
export async function setBusinessHours(ctx: TicketContext, actor: TicketActor, input: z.input<typeof businessHoursSchema>) {
  mustBeAdmin(actor);
  const { sessions } = parseInput(businessHoursSchema, input);
  const saved = await replaceCourtBusinessHours(ctx.db, actor.courtId, sessions);
  ctx.logger.info({ actor: actor.userId, court: actor.courtId, sessions }, 'business hours set');
  return { sessions: saved };
}
