import { pgSchema } from 'drizzle-orm/pg-core';
import { calendarDayKinds, dayKinds, deliveryChannels, priorities, satisfactions, stages } from './vocabulary.ts';

/** Every table of the tickets capability lives in the `tickets` schema. */
export const ticketsSchema = pgSchema('tickets');

export const stageEnum = ticketsSchema.enum('stage', stages);
export const priorityEnum = ticketsSchema.enum('priority', priorities);
export const satisfactionEnum = ticketsSchema.enum('satisfaction', satisfactions);
export const dayKindEnum = ticketsSchema.enum('day_kind', dayKinds);
export const deliveryChannelEnum = ticketsSchema.enum('delivery_channel', deliveryChannels);
export const calendarDayKindEnum = ticketsSchema.enum('calendar_day_kind', calendarDayKinds);
