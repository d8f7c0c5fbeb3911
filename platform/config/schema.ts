import { z } from 'zod';
import { rolesEnv, rolesHints, rolesSchema, roles, type Role } from './schema/roles.ts';
import { httpEnv, httpHints, httpSchema } from './schema/http.ts';
import { databaseEnv, databaseHints, databaseSchema } from './schema/database.ts';
import { dataDirEnv, dataDirHints, dataDirSchema } from './schema/data-dir.ts';
import { redisEnv, redisHints, redisSchema } from './schema/redis.ts';
import { ariEnv, ariHints, ariSchema } from './schema/ari.ts';
import { telephonyEnv, telephonyHints, telephonySchema } from './schema/telephony.ts';
import { logEnv, logHints, logSchema } from './schema/log.ts';
import { apiEnv, apiHints, apiSchema } from './schema/api.ts';
import { consoleEnv, consoleHints, consoleSchema } from './schema/console.ts';
import { ticketsEnv, ticketsHints, ticketsSchema } from './schema/tickets.ts';
import { smsEnv, smsHints, smsSchema } from './schema/sms.ts';
import { sealsEnv, sealsHints, sealsSchema } from './schema/seals.ts';
import { shutdownEnv, shutdownHints, shutdownSchema } from './schema/shutdown.ts';
import { runtimeEnv, runtimeHints, runtimeSchema } from './schema/runtime.ts';

export { roles, type Role };

/**
 * The one configuration schema. The Config type is derived from it; every value has a default. Each area's part,
 * its environment variables and their hints are in schema/<area>.ts.
 */
export const configSchema = z
  .object({
    roles: rolesSchema,
    http: httpSchema,
    database: databaseSchema,
    dataDir: dataDirSchema,
    redis: redisSchema,
    ari: ariSchema,
    telephony: telephonySchema,
    log: logSchema,
    api: apiSchema,
    console: consoleSchema,
    tickets: ticketsSchema,
    sms: smsSchema,
    seals: sealsSchema,
    shutdown: shutdownSchema,
    runtime: runtimeSchema,
  })
  .strict();

export type Config = z.infer<typeof configSchema>;

/**
 * Environment variable for each config path. The config file uses the nested keys;
 * the environment overrides the file.
 */
export const envNames = {
  ...rolesEnv,
  ...httpEnv,
  ...databaseEnv,
  ...dataDirEnv,
  ...redisEnv,
  ...ariEnv,
  ...telephonyEnv,
  ...logEnv,
  ...apiEnv,
  ...consoleEnv,
  ...ticketsEnv,
  ...smsEnv,
  ...sealsEnv,
  ...shutdownEnv,
  ...runtimeEnv,
} as const;

/** A hint for each variable: what a good value looks like, used in the start-up error. */
export const envHints: Record<keyof typeof envNames, string> = {
  ...rolesHints,
  ...httpHints,
  ...databaseHints,
  ...dataDirHints,
  ...redisHints,
  ...ariHints,
  ...telephonyHints,
  ...logHints,
  ...apiHints,
  ...consoleHints,
  ...ticketsHints,
  ...smsHints,
  ...sealsHints,
  ...shutdownHints,
  ...runtimeHints,
};
