import { check, customType, index, integer, primaryKey, text, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { courts } from '../../platform/courts.sql.ts';
import { users } from '../../platform/directory.sql.ts';
import { telephonySchema } from '../telephony.sql.ts';

/** bytea as a Buffer: node-postgres returns one, embedded PGlite a Uint8Array. */
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

/**
 * A court's own voice prompt, replacing the shipped one (asterisk-config/sounds/zh/<prompt>.wav) on that court's
 * calls. The audio is kept here, already converted to what Asterisk plays (8 kHz mono 16-bit wav, at most 60 s:
 * under 1 MB): every API process can serve it and every controller can name it without a shared volume. Asterisk
 * fetches it over HTTP by its content hash (docs/telephony.md, "Voice prompts"). No row: the shipped prompt.
 */
export const courtPrompts = telephonySchema.table(
  'court_prompts',
  {
    courtId: uuid('court_id')
      .notNull()
      .references(() => courts.id),
    /** A name of telephony/menu.ts `prompts`. */
    prompt: varchar('prompt', { length: 64 }).notNull(),
    /** upload: an admin's recording; text: words espeak-ng spoke. */
    source: varchar('source', { length: 16 }).notNull(),
    /** The words (source text), or the uploaded file's name (source upload). */
    text: text('text'),
    fileName: varchar('file_name', { length: 255 }),
    /** The converted wav; `sha256` (hex) names it in the URL Asterisk fetches. */
    audio: bytea('audio').notNull(),
    sha256: varchar('sha256', { length: 64 }).notNull(),
    durationMs: integer('duration_ms').notNull(),
    updatedBy: uuid('updated_by').references(() => users.id),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.courtId, t.prompt] }), index('court_prompts_sha256').on(t.sha256), check('court_prompts_source', sql`${t.source} in ('upload', 'text')`)],
);
