import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../platform/db/client.ts';
import { createLogger } from '../../platform/logger.ts';
import { adminQuery, adminUrl, databaseUrl, uniqueName } from './postgres.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    templateDatabase: string;
  }
}

/** Migrates one template database per run; each test file clones it (CREATE DATABASE … TEMPLATE). */
export default async function setup(project: TestProject) {
  await adminQuery('select 1').catch((err: Error) => {
    throw new Error(`Tests need PostgreSQL at ${adminUrl} (${err.message}). Start it, or set TEST_DATABASE_URL.`);
  });
  const template = uniqueName('hotline_tpl');
  await adminQuery(`create database ${template}`);
  const database = await openDatabase({ url: databaseUrl(template), poolSize: 1, dataDir: '', logger: createLogger({ level: 'silent', pretty: false }) });
  try {
    await database.migrate();
  } finally {
    await database.close();
  }
  project.provide('templateDatabase', template);
  return async () => {
    await adminQuery(`drop database if exists ${template} with (force)`);
  };
}
