import { text, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';
import { platformSchema } from './courts.sql.ts';

/**
 * Each PJSIP endpoint's password, random (never derived from the name), kept only sealed: AES-256-GCM under a key
 * made from HOTLINE_SIP_PASSWORD_SECRET, which is never in the database, with the endpoint name as associated data
 * (a row copied to another endpoint does not open). Asterisk gets only `password_digest` (MD5 of
 * user:realm:password) in the files `telephony:endpoints` writes; the operator's own console gets the clear password
 * at sign-in. telephony/endpoints/sip-credentials.ts; docs/telephony.md, endpoints.
 */
export const sipCredentials = platformSchema.table('sip_credentials', {
  endpoint: varchar('endpoint', { length: 64 }).primaryKey(),
  /** The operator the password was issued to; null for a desk phone (`ext-<extension>`). Another user: reissued. */
  userId: uuid('user_id'),
  /** `v1.<iv>.<tag>.<ciphertext>`, base64url. */
  sealed: text('sealed').notNull(),
  rotatedAt: timestamp('rotated_at', { withTimezone: true }).notNull().defaultNow(),
});
