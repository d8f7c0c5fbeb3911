import { z } from 'zod';
import { url } from './values.ts';

/** The SMS gateway for replies and hand-off notices. */
export const smsSchema = z
  .object({
    /** Which SMS gateway relays replies and hand-off notices: none (SMS relay refused), smpp or https. */
    gateway: z.enum(['none', 'smpp', 'https']).default('none'),
    /** A sent SMS with no delivery receipt after this long counts as failed (the ticket stays in 反馈). */
    receiptTimeoutSeconds: z.coerce.number().int().min(5).max(7 * 86400).default(3600),
    /** SMPP 3.4 message centre: smpp://host:2775 (or ssmpp:// for TLS). */
    smppUrl: url(['smpp:', 'ssmpp:']).optional(),
    smppSystemId: z.string().min(1).max(15).optional(),
    smppPassword: z.string().min(1).max(8).optional(),
    /** The sender number callers see (source_addr). */
    smppSourceAddr: z.string().min(1).max(20).default('12368'),
    /** HTTPS gateway: the base URL messages are POSTed to (<url>/messages). */
    httpsUrl: url(['https:', 'http:']).optional(),
    /** Shared secret both sides sign requests, answers and receipts with (HMAC-SHA256). */
    httpsSecret: z.string().min(16).optional(),
    /** A PEM file of the CA that signed the gateway's certificate, when it is not a public one. */
    httpsCaFile: z.string().min(1).optional(),
  })
  .superRefine((sms, ctx) => {
    const need = (key: keyof typeof sms, when: string) => {
      if (sms[key] === undefined) ctx.addIssue({ code: 'custom', path: [key], message: `required when sms.gateway is ${when}` });
    };
    if (sms.gateway === 'smpp') for (const key of ['smppUrl', 'smppSystemId', 'smppPassword'] as const) need(key, 'smpp');
    if (sms.gateway === 'https') for (const key of ['httpsUrl', 'httpsSecret'] as const) need(key, 'https');
    if (sms.gateway === 'https' && sms.httpsUrl?.startsWith('http:') && !/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(sms.httpsUrl)) {
      ctx.addIssue({ code: 'custom', path: ['httpsUrl'], message: 'must be https:// (plain http only to a gateway on this machine)' });
    }
  })
  .prefault({});

export const smsEnv = {
  'sms.gateway': 'SMS_GATEWAY',
  'sms.receiptTimeoutSeconds': 'SMS_RECEIPT_TIMEOUT_SECONDS',
  'sms.smppUrl': 'SMS_SMPP_URL',
  'sms.smppSystemId': 'SMS_SMPP_SYSTEM_ID',
  'sms.smppPassword': 'SMS_SMPP_PASSWORD',
  'sms.smppSourceAddr': 'SMS_SMPP_SOURCE_ADDR',
  'sms.httpsUrl': 'SMS_HTTPS_URL',
  'sms.httpsSecret': 'SMS_HTTPS_SECRET',
  'sms.httpsCaFile': 'SMS_HTTPS_CA_FILE',
} as const;

export const smsHints: Record<keyof typeof smsEnv, string> = {
  'sms.gateway': 'none, smpp or https (smpp and https need their settings below)',
  'sms.receiptTimeoutSeconds': 'seconds from 5 to 604800, e.g. 3600',
  'sms.smppUrl': 'the message centre, e.g. smpp://smsc.example:2775 (ssmpp:// for TLS)',
  'sms.smppSystemId': 'the system_id the carrier gave you (at most 15 characters)',
  'sms.smppPassword': 'the SMPP password the carrier gave you (at most 8 characters)',
  'sms.smppSourceAddr': 'the sender number callers see, e.g. 12368',
  'sms.httpsUrl': 'the gateway base URL, e.g. https://sms.example/api',
  'sms.httpsSecret': 'the shared secret agreed with the gateway (at least 16 characters)',
  'sms.httpsCaFile': "a PEM file of the gateway certificate's CA, or unset it",
};
