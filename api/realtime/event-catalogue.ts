import type { EventBus } from '../../platform/events.ts';
import { publishChecked, type CheckedEvent, type EventDataOf, type EventSpecs } from '../../platform/event-specs.ts';
import { kpiEvents } from '../../kpi/realtime-events.ts';
import { telephonyEvents } from '../../telephony/realtime-events.ts';
import { ticketEvents } from '../../tickets/realtime-events.ts';

/**
 * The realtime events consoles receive, gathered from the capabilities that declare them beside their code
 * (platform/event-specs.ts): one source for the hub, for publishers (typed, validated) and for docs/api.md.
 * A capability adds an event to its own declarations, then publishes it checked.
 */
const declared: EventSpecs[] = [telephonyEvents, ticketEvents, kpiEvents];
export const eventCatalogue = { ...telephonyEvents, ...ticketEvents, ...kpiEvents };

const names = declared.flatMap((specs) => Object.keys(specs));
if (new Set(names).size !== names.length) throw new Error(`two capabilities declare the same realtime event: ${names.filter((n, i) => names.indexOf(n) !== i).join(', ')}`);

export type EventType = keyof typeof eventCatalogue;
export type EventData<Type extends EventType> = EventDataOf<typeof eventCatalogue, Type>;

/** Messages the hub itself sends, not published by capabilities. */
export const hubMessages = {
  hello: 'sent first on every connection: {type:"hello", data:{userId, role, courtId}}',
  resync: 'the missed events could not be replayed (buffer trimmed or lost): reload state over HTTP',
} as const;

/** Publishes any catalogued event after checking its data (tests and benchmarks; capabilities publish their own). */
export function publishEvent<Type extends EventType>(events: EventBus, event: CheckedEvent<typeof eventCatalogue, Type>): Promise<string> {
  return publishChecked(eventCatalogue, events, event);
}
