import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { z } from 'zod';
import { configSchema, envHints, envNames, type Config } from './schema.ts';

type ConfigPath = keyof typeof envNames;

/** Start-up stops with this error; its message names each bad variable and how to fix it. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`The hotline cannot start: its configuration is invalid.\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export interface ConfigSources {
  env?: NodeJS.ProcessEnv;
  /** Working directory used to find ./hotline.config.json and resolve HOTLINE_CONFIG. */
  cwd?: string;
}

const DEFAULT_FILE = 'hotline.config.json';

/** Reads the optional config file and the environment, validates once, and returns the typed config. */
export function loadConfig({ env = process.env, cwd = process.cwd() }: ConfigSources = {}): Config {
  const { file, values: fromFile } = readConfigFile(env, cwd);
  const merged = mergeDeep(fromFile, valuesFromEnv(env));
  const result = configSchema.safeParse(merged);
  if (!result.success) throw new ConfigError(result.error.issues.map((issue) => describe(issue, env, file)));
  return result.data;
}

function readConfigFile(env: NodeJS.ProcessEnv, cwd: string): { file?: string; values: Record<string, unknown> } {
  const named = env.HOTLINE_CONFIG;
  const file = named ? resolve(cwd, named) : resolve(cwd, DEFAULT_FILE);
  if (!existsSync(file)) {
    if (named) throw new ConfigError([`HOTLINE_CONFIG="${named}": no such file. Fix: point HOTLINE_CONFIG at a JSON config file, or unset it.`]);
    return { values: {} };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError([`${file}: not valid JSON (${(err as Error).message}). Fix: correct the file or remove it.`]);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError([`${file}: must hold a JSON object such as {"http": {"port": 8368}}.`]);
  }
  return { file, values: parsed as Record<string, unknown> };
}

/** Turns HOTLINE_PORT=9000 into {http: {port: "9000"}}; empty variables count as unset. */
function valuesFromEnv(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [path, name] of Object.entries(envNames)) {
    const value = env[name];
    if (value === undefined || value.trim() === '') continue;
    setPath(out, path.split('.'), value.trim());
  }
  return out;
}

function setPath(target: Record<string, unknown>, keys: string[], value: unknown): void {
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1] as string] = value;
}

function mergeDeep(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const prior = out[key];
    const bothObjects = isPlainObject(prior) && isPlainObject(value);
    out[key] = bothObjects ? mergeDeep(prior, value) : value;
  }
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(issue: z.core.$ZodIssue, env: NodeJS.ProcessEnv, file: string | undefined): string {
  if (issue.code === 'unrecognized_keys') {
    const where = [...issue.path.map(String), ''].join('.');
    return `${file ?? 'config'}: unknown key(s) ${issue.keys.map((k) => `"${where}${k}"`).join(', ')}. Fix: remove them; the known keys are listed in docs/configuration.md.`;
  }
  const path = issue.path.filter((p) => typeof p === 'string').join('.') as ConfigPath;
  const name = envNames[path];
  const hint = envHints[path];
  if (!name) return `${file ?? 'config'}: ${issue.path.join('.')}: ${issue.message}.`;
  const fromEnv = env[name] !== undefined && env[name]?.trim() !== '';
  const source = fromEnv ? `${name}="${env[name]}"` : `${file ?? 'config'}: "${path}"`;
  return `${source}: ${issue.message}. Fix: set ${name} to ${hint}.`;
}
