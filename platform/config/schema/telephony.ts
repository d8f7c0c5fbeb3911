import { z } from 'zod';
import { url } from './values.ts';

/** The call flow, outbound callbacks and recordings. */
export const telephonySchema = z
  .object({
    /** How long an operator's softphone rings before the next operator is tried. */
    ringSeconds: z.coerce.number().int().min(1).max(120).default(20),
    /** After this long in the queue a caller is offered a callback or a message. */
    maxWaitSeconds: z.coerce.number().int().min(1).max(3600).default(180),
    /** After-call work time before an operator is ready again. */
    wrapUpSeconds: z.coerce.number().int().min(0).max(600).default(15),
    /** How long the menu waits for a digit after its prompt. */
    menuTimeoutSeconds: z.coerce.number().int().min(1).max(30).default(5),
    /** How often a waiting caller hears their position. */
    positionFirstSeconds: z.coerce.number().int().min(0).max(600).default(3),
    transferRingSeconds: z.coerce.number().int().min(1).max(120).default(30),
    trunkDial: z.string().regex(/^[A-Za-z]+\/.*\{number\}/).default('PJSIP/{number}@trunk'),
    caseEntryTimeoutSeconds: z.coerce.number().int().min(1).max(60).default(8),
    positionEverySeconds: z.coerce.number().int().min(1).max(600).default(30),
    /** Where Asterisk finds the hotline's prompts (asterisk-config/sounds/ as mounted on the Asterisk host). */
    soundsDir: z.string().min(1).default('/etc/asterisk/sounds'),
    /** The hotline's URL as Asterisk reaches it, to fetch a court's own voice prompts; unset: this process's own address. */
    promptsUrl: url(['http:', 'https:']).optional(),
    /** Where the generated PJSIP endpoint and ring-group files are written (telephony:endpoints, the SIP endpoints page). */
    asteriskConfigDir: z.string().min(1).default('asterisk-config'),
    /** Asterisk's CDR file of calls that took the dialplan fallback (asterisk-config/cdr_custom.conf); empty: no import. */
    fallbackCdrFile: z.string().default('/var/log/asterisk/cdr-custom/hotline-cdr.jsonl'),
    /** Caller id shown to callers dialled back. */
    outboundCallerId: z.string().min(1).max(64).default('12368'),
    /** How long a called-back caller's phone rings before the attempt counts as no answer. */
    outboundRingSeconds: z.coerce.number().int().min(1).max(120).default(30),
    /** Attempts to reach a caller (the first included) before a callback is given up. */
    outboundAttempts: z.coerce.number().int().min(1).max(10).default(3),
    /** Least time between two attempts; a retry also waits for business hours. */
    outboundRetrySeconds: z.coerce.number().int().min(1).max(7 * 86400).default(1800),
    /** Where call recordings are kept (<yyyy>/<mm>/<callId>.wav); default <dataDir>/recordings. */
    recordingsDir: z.string().min(1).optional(),
    /** Recordings older than this (from the call's arrival) are deleted by a daily job; their rows stay. */
    recordingRetentionDays: z.coerce.number().int().min(1).max(36500).default(180),
  })
  .prefault({});

export const telephonyEnv = {
  'telephony.ringSeconds': 'TELEPHONY_RING_SECONDS',
  'telephony.maxWaitSeconds': 'TELEPHONY_MAX_WAIT_SECONDS',
  'telephony.wrapUpSeconds': 'TELEPHONY_WRAP_UP_SECONDS',
  'telephony.menuTimeoutSeconds': 'TELEPHONY_MENU_TIMEOUT_SECONDS',
  'telephony.positionFirstSeconds': 'TELEPHONY_POSITION_FIRST_SECONDS',
  'telephony.transferRingSeconds': 'TELEPHONY_TRANSFER_RING_SECONDS',
  'telephony.trunkDial': 'TELEPHONY_TRUNK_DIAL',
  'telephony.caseEntryTimeoutSeconds': 'TELEPHONY_CASE_ENTRY_TIMEOUT_SECONDS',
  'telephony.positionEverySeconds': 'TELEPHONY_POSITION_EVERY_SECONDS',
  'telephony.soundsDir': 'TELEPHONY_SOUNDS_DIR',
  'telephony.promptsUrl': 'TELEPHONY_PROMPTS_URL',
  'telephony.asteriskConfigDir': 'TELEPHONY_ASTERISK_CONFIG_DIR',
  'telephony.fallbackCdrFile': 'TELEPHONY_FALLBACK_CDR_FILE',
  'telephony.outboundCallerId': 'TELEPHONY_OUTBOUND_CALLER_ID',
  'telephony.outboundRingSeconds': 'TELEPHONY_OUTBOUND_RING_SECONDS',
  'telephony.outboundAttempts': 'TELEPHONY_OUTBOUND_ATTEMPTS',
  'telephony.outboundRetrySeconds': 'TELEPHONY_OUTBOUND_RETRY_SECONDS',
  'telephony.recordingsDir': 'TELEPHONY_RECORDINGS_DIR',
  'telephony.recordingRetentionDays': 'TELEPHONY_RECORDING_RETENTION_DAYS',
} as const;

export const telephonyHints: Record<keyof typeof telephonyEnv, string> = {
  'telephony.ringSeconds': 'seconds from 1 to 120, e.g. 20',
  'telephony.maxWaitSeconds': 'seconds from 1 to 3600, e.g. 180',
  'telephony.wrapUpSeconds': 'seconds from 0 to 600, e.g. 15',
  'telephony.menuTimeoutSeconds': 'seconds from 1 to 30, e.g. 5',
  'telephony.positionFirstSeconds': 'seconds from 0 to 600, e.g. 3',
  'telephony.transferRingSeconds': 'seconds from 1 to 120, e.g. 30',
  'telephony.trunkDial': 'a dial string with {number}, e.g. PJSIP/{number}@trunk',
  'telephony.caseEntryTimeoutSeconds': 'seconds from 1 to 60, e.g. 8',
  'telephony.positionEverySeconds': 'seconds from 1 to 600, e.g. 30',
  'telephony.soundsDir': 'the directory on the Asterisk host holding asterisk-config/sounds, e.g. /etc/asterisk/sounds',
  'telephony.promptsUrl': 'the hotline as Asterisk reaches it over HTTP, e.g. http://hotline.court.local:8368',
  'telephony.asteriskConfigDir': "Asterisk's configuration directory as this host sees it, e.g. /etc/asterisk",
  'telephony.fallbackCdrFile': 'a file path, e.g. /var/log/asterisk/cdr-custom/hotline-cdr.jsonl, or empty',
  'telephony.outboundCallerId': 'the number callers see, e.g. 12368',
  'telephony.outboundRingSeconds': 'seconds from 1 to 120, e.g. 30',
  'telephony.outboundAttempts': 'a whole number from 1 to 10, e.g. 3',
  'telephony.outboundRetrySeconds': 'seconds from 1 to 604800, e.g. 1800',
  'telephony.recordingsDir': 'a writable directory, e.g. /var/lib/hotline/recordings',
  'telephony.recordingRetentionDays': 'days from 1 to 36500, e.g. 180',
};
