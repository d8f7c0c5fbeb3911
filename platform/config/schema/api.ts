import { z } from 'zod';

/** Sessions, sign-in lockout, rate limits and the realtime event buffer. */
export const apiSchema = z
  .object({
    /** How long a session lasts after sign-in. */
    sessionTtlMinutes: z.coerce.number().int().min(1).max(10080).default(720),
    /** Consecutive failed sign-ins that lock a username. */
    lockoutAttempts: z.coerce.number().int().min(1).max(100).default(5),
    lockoutMinutes: z.coerce.number().int().min(1).max(1440).default(15),
    /** Sign-in attempts per client address per minute. */
    signInRateLimit: z.coerce.number().int().min(1).default(10),
    /** Requests per client address per minute on other public endpoints (docs). */
    publicRateLimit: z.coerce.number().int().min(1).default(120),
    /** Realtime events kept per court for consoles that reconnect. */
    eventBuffer: z.coerce.number().int().min(10).max(100000).default(1000),
  })
  .prefault({});

export const apiEnv = {
  'api.sessionTtlMinutes': 'HOTLINE_SESSION_TTL_MINUTES',
  'api.lockoutAttempts': 'HOTLINE_LOCKOUT_ATTEMPTS',
  'api.lockoutMinutes': 'HOTLINE_LOCKOUT_MINUTES',
  'api.signInRateLimit': 'HOTLINE_SIGN_IN_RATE_LIMIT',
  'api.publicRateLimit': 'HOTLINE_PUBLIC_RATE_LIMIT',
  'api.eventBuffer': 'HOTLINE_EVENT_BUFFER',
} as const;

export const apiHints: Record<keyof typeof apiEnv, string> = {
  'api.sessionTtlMinutes': 'minutes from 1 to 10080, e.g. 720',
  'api.lockoutAttempts': 'a whole number from 1 to 100, e.g. 5',
  'api.lockoutMinutes': 'minutes from 1 to 1440, e.g. 15',
  'api.signInRateLimit': 'a whole number above 0, e.g. 10',
  'api.publicRateLimit': 'a whole number above 0, e.g. 120',
  'api.eventBuffer': 'a whole number from 10 to 100000, e.g. 1000',
};
