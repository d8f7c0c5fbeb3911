import { z } from 'zod';
import { url } from './values.ts';

/** The operator console's softphone and presence. */
export const consoleSchema = z
  .object({
    /** Where browsers reach Asterisk's SIP-over-WebSocket server (asterisk-config/http.conf, path /ws). */
    sipWebSocketUrl: url(['ws:', 'wss:']).default('ws://127.0.0.1:8088/ws'),
    /** The SIP domain of operator endpoints: sip:<endpoint>@<domain>. */
    sipDomain: z.string().min(1).regex(/^[A-Za-z0-9.:[\]-]+$/, 'a host name or address').default('127.0.0.1'),
    /** When set, each operator endpoint's SIP password is derived from it (see docs/console.md); otherwise the softphone asks. */
    sipPasswordSecret: z.string().min(16).optional(),
    /** An operator whose console has had no websocket this long is paused (a reconnect within it changes nothing). */
    pauseAfterSeconds: z.coerce.number().int().min(1).max(3600).default(60),
  })
  .prefault({});

export const consoleEnv = {
  'console.sipWebSocketUrl': 'HOTLINE_SIP_WS_URL',
  'console.sipDomain': 'HOTLINE_SIP_DOMAIN',
  'console.sipPasswordSecret': 'HOTLINE_SIP_PASSWORD_SECRET',
  'console.pauseAfterSeconds': 'HOTLINE_CONSOLE_PAUSE_AFTER_SECONDS',
} as const;

export const consoleHints: Record<keyof typeof consoleEnv, string> = {
  'console.sipWebSocketUrl': "Asterisk's SIP WebSocket, e.g. ws://127.0.0.1:8088/ws or wss://pbx.example/ws",
  'console.sipDomain': 'the SIP domain of operator endpoints, e.g. 127.0.0.1 or pbx.example',
  'console.sipPasswordSecret': 'a secret of at least 16 characters, or unset it',
  'console.pauseAfterSeconds': 'seconds from 1 to 3600, e.g. 60',
};
