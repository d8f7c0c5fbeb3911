import { isRefusal } from '../../platform/errors.ts';
import type { Actor } from '../../platform/user-roles.ts';
import type { OutboundService } from './service.ts';

/** A relay the tickets capability asks for: its delivery row, told by `requestedBy` (tickets/ports.ts CallbackDialer). */
export interface RelayCallRequest {
  ticketId: string;
  deliveryId: string;
  requestedBy: Actor;
}

export type RelayCallFiled = { placed: true; outboundId: string; detail: string } | { placed: false; detail: string };

/**
 * The tickets capability's phone relay goes through the real dialler: an outbound request in operator mode, as
 * the user who asked (their softphone first, then the caller, bridged). One request per delivery, however often
 * asked. A refusal (no softphone, not free, a callback already under way, the ticket moved on) is final and
 * says why in both languages; anything else (the queue away) throws and the caller's job tries again.
 */
export function relayDialer(service: Pick<OutboundService, 'request'>) {
  return {
    async dial(r: RelayCallRequest): Promise<RelayCallFiled> {
      try {
        const view = await service.request(r.requestedBy, { purpose: 'relay', mode: 'operator', ticketId: r.ticketId, deliveryId: r.deliveryId });
        return { placed: true, outboundId: view.id, detail: `转告回拨已发起 / relay call filed (${view.id})` };
      } catch (err) {
        if (isRefusal(err)) return { placed: false, detail: `${err.messageZh} / ${err.message} (${err.code})` };
        throw err;
      }
    },
  };
}
