import type { z } from 'zod';
import type { Audience, EventBus } from './events.ts';

/**
 * The typing of realtime events. Each capability declares the events it publishes beside its code
 * (`defineEvents`: who receives each, for docs/api.md, and the schema of its data) and publishes them checked
 * (`publishChecked`); the api capability gathers every capability's declarations into the catalogue its
 * websocket hub serves (api/realtime/event-catalogue.ts).
 */
export interface EventSpec {
  /** Who receives it, in words (docs/api.md). */
  to: string;
  data: z.ZodType;
}

export type EventSpecs = Record<string, EventSpec>;

export type EventDataOf<Specs extends EventSpecs, Type extends keyof Specs> = z.infer<Specs[Type]['data']>;

export interface CheckedEvent<Specs extends EventSpecs, Type extends keyof Specs & string> {
  type: Type;
  courtId: string;
  audience: Audience;
  data: EventDataOf<Specs, Type>;
}

/** A capability's events, declared once beside its code. */
export function defineEvents<const Specs extends EventSpecs>(specs: Specs): Specs {
  return specs;
}

/** Publishes a declared event after checking its data against its schema (a typo fails here, not in a console). */
export async function publishChecked<Specs extends EventSpecs, Type extends keyof Specs & string>(specs: Specs, events: EventBus, event: CheckedEvent<Specs, Type>): Promise<string> {
  const checked = specs[event.type]!.data.safeParse(event.data);
  if (!checked.success) {
    events.reportInvalid(event.type, checked.error);
    throw checked.error;
  }
  return events.publish({ ...event, data: checked.data });
}
