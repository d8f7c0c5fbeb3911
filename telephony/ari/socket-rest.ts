import type WebSocket from 'ws';
import type { Logger } from '../../platform/logger.ts';
import { useWsRestChannel } from './rest-transport.ts';
import { WsRestChannel } from './ws-rest.ts';

/**
 * One open event socket's part in sending REST requests: it asks this Asterisk for its ping over the socket; an
 * answer means Asterisk takes REST requests there (Asterisk 22), and from then on the transport sends them that way
 * (rest-transport.ts) until the socket closes. No answer (an Asterisk before REST over WebSocket): HTTP, said once.
 */
export class SocketRest {
  private readonly channel: WsRestChannel;
  private release: (() => void) | undefined;
  private closed = false;

  constructor(url: string, socket: WebSocket, timeoutMs: number, log: Logger, busy: (channelId: string) => boolean) {
    this.channel = new WsRestChannel((message) => socket.send(message), timeoutMs);
    this.channel.request('GET', 'asterisk/ping').then(
      (answer) => {
        if (this.closed) return;
        if (answer.status !== 200) return this.keepHttp(log, url, `it answered ${answer.status} to a ping`);
        this.release = useWsRestChannel(url, this.channel, busy);
        log.info({ url }, 'ARI REST requests go over the event websocket');
      },
      (err: Error) => {
        if (!this.closed) this.keepHttp(log, url, err.message);
      },
    );
  }

  /** True once requests go over this socket (registered with the transport until it closes). */
  get active(): boolean {
    return this.release !== undefined;
  }

  /** Takes an answer to one of our requests off the socket; false for anything else (an event). */
  handle(message: string): boolean {
    return this.channel.handle(message);
  }

  /** The socket closed: the transport goes back to HTTP, requests in flight fail as on a reset connection. */
  close(): void {
    this.closed = true;
    this.release?.();
    this.release = undefined;
    this.channel.close();
  }

  private keepHttp(log: Logger, url: string, why: string): void {
    log.info({ url, why }, 'ARI REST requests stay on HTTP: this Asterisk does not take them over its websocket');
    this.channel.close();
  }
}
