import type { Actor } from '../platform/user-roles.ts';
import type { Listen } from '../platform/db/notifications.ts';
import { addCategory, listCategories, updateCategory } from './admin.ts';
import { businessHours, clearCalendarDay, listCalendarDays, setBusinessHours, setCalendarDay } from './calendar-admin.ts';
import { calendarSnapshot, courtCalendarChannel } from './court-calendar.ts';
import { assertCallOfCourt, ticketOfCourt } from './call-link.ts';
import type { TicketContext } from './context.ts';
import { answerOnSpot, attachCall, callsWithTickets, createFromCall, createFromMessage, createFromTransfer, createTicket, editTicket, handOff } from './intake.ts';
import { accept, chase, decideExtension, reassign, reply, requestExtension, voidTicket } from './handling.ts';
import { recordCallback, recordDelivery, relayFeedback } from './feedback.ts';
import { ownQueue } from './own-queue.ts';
import { claimTicket, unownedTickets } from './unowned.ts';
import { recordPhoneRelay, type PhoneRelayResult } from './phone/relay.ts';
import { markConfidential } from './confidential-command.ts';
import { callerHistory, dialTarget, getTicket, inbox, ticketEventsOf } from './queries.ts';
import type { CreateFromCallInput, CreateFromMessageInput, CreateFromTransferInput, CreateTicketInput, EditTicketInput, HandOffInput, ReassignInput } from './schemas.ts';
import type { DeliveryChannel, Satisfaction } from './vocabulary.ts';

/**
 * The tickets capability's service: every command takes the acting user (`Actor`, set by the API from the
 * session) and either applies fully or throws a HotlineError and changes nothing. Telephony calls createFromCall.
 */
export class TicketService {
  constructor(readonly ctx: TicketContext) {}

  // intake (接听)
  createFromCall = (input: CreateFromCallInput) => createFromCall(this.ctx, input);
  createFromMessage = (input: CreateFromMessageInput) => createFromMessage(this.ctx, input);
  createFromTransfer = (input: CreateFromTransferInput) => createFromTransfer(this.ctx, input);
  callsWithTickets = (callIds: string[]) => callsWithTickets(this.ctx, callIds);
  /** A call a person names must be an existing call of their court (call-link.ts). */
  create = async (actor: Actor, input: CreateTicketInput) => {
    await assertCallOfCourt(this.ctx.db, actor.courtId, typeof input?.callId === 'string' ? input.callId : undefined);
    return createTicket(this.ctx, actor, input);
  };
  attachCall = async (actor: Actor, ticketId: string, input: { callId: string }) => {
    // Another court's (or no) ticket is left to attachCall's own "not found".
    if (await ticketOfCourt(this.ctx.db, ticketId, actor.courtId)) await assertCallOfCourt(this.ctx.db, actor.courtId, typeof input?.callId === 'string' ? input.callId : undefined);
    return attachCall(this.ctx, actor, ticketId, input);
  };
  edit = (actor: Actor, ticketId: string, input: EditTicketInput) => editTicket(this.ctx, actor, ticketId, input);
  answerOnSpot = (actor: Actor, ticketId: string, input: { answer: string }) => answerOnSpot(this.ctx, actor, ticketId, input);
  handOff = (actor: Actor, ticketId: string, input: HandOffInput) => handOff(this.ctx, actor, ticketId, input);
  /** 认领: an operator takes an unowned ticket (a message or callback request) as its first-contact owner (unowned.ts). */
  claim = (actor: Actor, ticketId: string) => claimTicket(this.ctx, actor, ticketId);

  // handling (交办, 督办)
  accept = (actor: Actor, ticketId: string) => accept(this.ctx, actor, ticketId);
  reassign = (actor: Actor, ticketId: string, input: ReassignInput) => reassign(this.ctx, actor, ticketId, input);
  requestExtension = (actor: Actor, ticketId: string, input: { until: Date | string; reason: string }) => requestExtension(this.ctx, actor, ticketId, input);
  decideExtension = (actor: Actor, ticketId: string, input: { approve: boolean; reason?: string }) => decideExtension(this.ctx, actor, ticketId, input);
  chase = (actor: Actor, ticketId: string, input: { reason: string }) => chase(this.ctx, actor, ticketId, input);
  reply = (actor: Actor, ticketId: string, input: { text: string }) => reply(this.ctx, actor, ticketId, input);
  void = (actor: Actor, ticketId: string, input: { reason: string }) => voidTicket(this.ctx, actor, ticketId, input);
  /** 保密: from now on only the handler, the department head and managers read it in full (confidential.ts). */
  markConfidential = (actor: Actor, ticketId: string, input: { reason: string }) => markConfidential(this.ctx, actor, ticketId, input);

  // feedback (反馈) and callback (回访)
  relayFeedback = (actor: Actor, ticketId: string, input: { channel: DeliveryChannel }) => relayFeedback(this.ctx, actor, ticketId, input);
  recordDelivery = (actor: Actor, ticketId: string, input: { channel: DeliveryChannel; delivered: boolean; note?: string; callId?: string; outboundId?: string }) => recordDelivery(this.ctx, actor, ticketId, input);
  recordCallback = (actor: Actor, ticketId: string, input: { resolved: boolean; satisfaction: Satisfaction; note?: string }) => recordCallback(this.ctx, actor, ticketId, input);
  /** Telephony reports a relay call that is over (phone/relay.ts): connected records the delivery, anything else fails it. */
  recordPhoneRelay = (input: PhoneRelayResult) => recordPhoneRelay(this.ctx, input);

  // reading
  /** The ticket as this actor may see it: a confidential one masked unless they handle it, head it or manage. */
  get = (actor: Actor, ticketId: string) => getTicket(this.ctx, actor, ticketId);
  /** The stage and caller number a callback dials (never shown: a confidential ticket's number stays hidden from the operator). */
  dialTarget = (actor: Actor, ticketId: string) => dialTarget(this.ctx, actor, ticketId);
  events = (actor: Actor, ticketId: string) => ticketEventsOf(this.ctx, actor, ticketId);
  callerHistory = (actor: Actor, callerNumber: string) => callerHistory(this.ctx, actor, callerNumber);
  inbox = (actor: Actor, filter?: unknown) => inbox(this.ctx, actor, filter);
  /** The operator's own queue (首问负责): tickets they own in feedback or callback, with each one's latest relay. */
  ownQueue = (actor: Actor) => ownQueue(this.ctx, actor);
  /** Tickets of the court in the answer stage with no owner, created since `since` (the unowned queue, unowned.ts). */
  unowned = (actor: Actor, since: Date) => unownedTickets(this.ctx, actor, since);

  // administration: categories with their deadline policy
  categories = () => listCategories(this.ctx);
  addCategory = (actor: Actor, input: Parameters<typeof addCategory>[2]) => addCategory(this.ctx, actor, input);
  updateCategory = (actor: Actor, code: string, input: Parameters<typeof updateCategory>[3]) => updateCategory(this.ctx, actor, code, input);

  // the court's one calendar (working days, holidays, 调休, hotline hours): an admin edits only their own court's
  calendarDays = (actor: Actor, year: number) => listCalendarDays(this.ctx, actor, year);
  setCalendarDay = (actor: Actor, input: Parameters<typeof setCalendarDay>[2]) => setCalendarDay(this.ctx, actor, input);
  clearCalendarDay = (actor: Actor, day: string) => clearCalendarDay(this.ctx, actor, day);
  businessHours = (actor: Actor) => businessHours(this.ctx, actor);
  setBusinessHours = (actor: Actor, input: Parameters<typeof setBusinessHours>[2]) => setBusinessHours(this.ctx, actor, input);
  /** Every court's calendar and hours at once, for the hotline controller's in-memory copy (telephony/hours). */
  calendarSnapshot = () => calendarSnapshot(this.ctx.db);
  /** Calls onChange whenever any court's calendar or hours change (and after a reconnect, with ''). */
  onCalendarChange = (listen: Listen, onChange: () => void) => listen(courtCalendarChannel, () => onChange());
}
