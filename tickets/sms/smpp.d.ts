/** The few parts of the `smpp` package (0.5.x, no published types) the SMPP gateway and its tests use. */
declare module 'smpp' {
  import type { EventEmitter } from 'node:events';
  import type { Server as NetServer, Socket } from 'node:net';

  /** A PDU: its command, status, sequence and the command's parameters (SMPP names, e.g. message_id). */
  export interface Pdu {
    command: string;
    command_status: number;
    sequence_number: number;
    [parameter: string]: unknown;
    response(options?: Record<string, unknown>): Pdu;
    isResponse(): boolean;
  }

  type Callback = (pdu: Pdu) => void;

  export interface Session extends EventEmitter {
    socket: Socket;
    send(pdu: Pdu, responseCallback?: Callback, sendCallback?: Callback): boolean;
    close(callback?: () => void): void;
    destroy(callback?: () => void): void;
    pause(): void;
    resume(): void;
    bind_transceiver(options: Record<string, unknown>, responseCallback?: Callback): boolean;
    submit_sm(options: Record<string, unknown>, responseCallback?: Callback, sendCallback?: Callback): boolean;
    deliver_sm(options: Record<string, unknown>, responseCallback?: Callback): boolean;
    enquire_link(options?: Record<string, unknown>, responseCallback?: Callback): boolean;
    unbind(options?: Record<string, unknown>, responseCallback?: Callback): boolean;
  }

  export interface SmppModule {
    connect(options: { url: string; auto_enquire_link_period?: number; [option: string]: unknown }, listener?: () => void): Session;
    createServer(options: Record<string, unknown>, listener?: (session: Session) => void): NetServer;
    ESME_ROK: number;
    ESME_RBINDFAIL: number;
    ESME_RTHROTTLED: number;
    ESME_RMSGQFUL: number;
    ESME_RSUBMITFAIL: number;
    ESME_RINVDSTADR: number;
    ESME_RX_T_APPN: number;
  }

  const smpp: SmppModule;
  export default smpp;
}
