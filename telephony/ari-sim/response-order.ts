import { AsyncLocalStorage } from 'node:async_hooks';

export type Transport = 'http' | 'websocket';

/** One frame in the sending order; `send` is null while it is a request's response not yet given. */
interface Slot {
  send: (() => void) | null;
}

interface Scope {
  transport: Transport;
  /** The place of the request's response once its channel's thread made events wait for it. */
  gate: Slot | null;
  answered: boolean;
}

/** One REST request being handled: run its handling inside `run`, then hand over its response or say it is out. */
export interface RequestScope {
  run<T>(fn: () => T): T;
  /** Sends a RESTResponse in its place: after the events the request caused and events already waiting, before those it left to the channel's thread. */
  respond(send: () => void): void;
  /** The response went out another way (HTTP's finish) or never will: the events waiting for it may go. */
  answered(): void;
}

const nothing = () => undefined;

/**
 * Orders a REST request's events against its response as Asterisk 22 does. What the request's own thread does
 * (a DELETE's ChannelHangupRequest) is sent at once, before the response. What Asterisk leaves to the channel's
 * own thread (a created channel entering Stasis, a hung-up channel leaving it) happens after the request
 * returned, so its events follow the response: always on the websocket that carried the request
 * (fixtures/rest-over-websocket.jsonl), over HTTP only where every trace shows it (channels/create; a hangup's
 * StasisEnd races the HTTP response there, and the stand-in sends it first). The stand-in's state changes at
 * once; only the sending waits.
 *
 * Sending is one queue for all sockets: a holding request puts a gate in it, and every later frame waits behind
 * the first gate not yet opened, so events keep their order. A websocket response is queued too (`respond`):
 * when another request holds, it takes its own gate's place, or the end of the queue, so it still follows the
 * events its request caused before it (a ChannelHangupRequest queued behind a held channels/create).
 */
export class ResponseOrder {
  private readonly scopes = new AsyncLocalStorage<Scope>();
  private readonly queue: Slot[] = [];

  begin(transport: Transport): RequestScope {
    const scope: Scope = { transport, gate: null, answered: false };
    const answer = (send: () => void) => {
      if (scope.answered) return;
      scope.answered = true;
      if (!scope.gate) return this.deliver(send);
      scope.gate.send = send;
      this.drain();
    };
    return {
      run: (fn) => this.scopes.run(scope, fn),
      respond: answer,
      answered: () => answer(nothing),
    };
  }

  /**
   * Runs `fn` now as the channel thread's part of the current request: its events (and all later ones) are sent
   * after the request's response. Outside a request (a timer, the far end) or over HTTP without `overHttp`, at once.
   */
  afterResponse(fn: () => void, { overHttp }: { overHttp: boolean }): void {
    const scope = this.scopes.getStore();
    if (scope && !scope.answered && !scope.gate && (overHttp || scope.transport === 'websocket')) {
      scope.gate = { send: null };
      this.queue.push(scope.gate);
    }
    fn();
  }

  /** Sends now, or after the frames already waiting. */
  deliver(send: () => void): void {
    if (this.queue.length > 0) this.queue.push({ send });
    else send();
  }

  private drain(): void {
    while (this.queue[0]?.send) this.queue.shift()!.send!();
  }
}
