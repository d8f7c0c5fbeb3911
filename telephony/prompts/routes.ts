import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { repoRoot } from '../../platform/db/migration-sets.ts';
import type { Db } from '../../platform/db/client.ts';
import { HotlineError } from '../../platform/errors.ts';
import { errors } from '../../platform/http/errors.ts';
import { errorBodySchema, errorResponses, type ApiApp } from '../../platform/http/schemas.ts';
import { prompts, type Prompt } from '../menu.ts';
import { convertUpload, maxPromptSeconds, maxPromptText, maxUploadBytes, speak, uploadFormats } from './convert.ts';
import { courtPromptAudio, courtPromptList, promptAudioByHash, removeCourtPrompt, saveCourtPrompt } from './store.ts';

const tags = ['telephony'];
const admin = { roles: ['admin'] } as const;
/** The shipped prompts, with their words beside them (asterisk-config/sounds/generate.sh). */
export const shippedPromptsDir = join(repoRoot, 'asterisk-config/sounds/zh');

const promptParam = z.strictObject({ name: z.enum(prompts) });
const customView = z.object({
  source: z.enum(['upload', 'text']),
  text: z.string().nullable(),
  fileName: z.string().nullable(),
  sha256: z.string(),
  durationMs: z.number(),
  updatedBy: z.string().nullable(),
  updatedAt: z.date(),
});
const promptsView = z
  .object({
    maxSeconds: z.number(),
    maxText: z.number(),
    maxUploadBytes: z.number(),
    formats: z.array(z.string()),
    prompts: z.array(z.object({ name: z.string(), shippedText: z.string(), custom: customView.nullable() })),
  })
  .meta({ id: 'VoicePrompts' });
const promptView = z.object({ name: z.string(), shippedText: z.string(), custom: customView.nullable() }).meta({ id: 'VoicePrompt' });

async function shippedText(name: string): Promise<string> {
  return (await readFile(join(shippedPromptsDir, `${name}.txt`), 'utf8').catch(() => '')).trim();
}

async function view(db: Db, courtId: string): Promise<z.infer<typeof promptsView>> {
  const custom = new Map((await courtPromptList(db, courtId)).map((c) => [c.prompt, c]));
  return {
    maxSeconds: maxPromptSeconds,
    maxText: maxPromptText,
    maxUploadBytes,
    formats: [...uploadFormats],
    prompts: await Promise.all(
      prompts.map(async (name) => {
        const { prompt: _p, ...c } = custom.get(name) ?? ({} as never);
        return { name, shippedText: await shippedText(name), custom: custom.has(name) ? c : null };
      }),
    ),
  };
}

async function one(db: Db, courtId: string, name: Prompt): Promise<z.infer<typeof promptView>> {
  return (await view(db, courtId)).prompts.find((p) => p.name === name)!;
}

function sendWav(reply: unknown, wav: Buffer, cache: string): FastifyReply {
  // Audio, outside the JSON response schemas.
  const raw = reply as FastifyReply;
  return raw.header('content-type', 'audio/wav').header('cache-control', cache).send(wav);
}

/**
 * Voice prompts (语音提示) as a court admin's setting: the list with each prompt's shipped words and the court's own
 * version, an upload (any format sox reads here) or words for espeak-ng, both converted to 8 kHz mono 16-bit wav
 * and limited to 60 s, a preview of what callers hear, and the way back to the shipped prompt. A change reaches the
 * controllers at once (NOTIFY in its transaction): the court's next call plays it. The api's hook audits each change
 * (admin.action). Asterisk fetches a court's prompt over HTTP by its content hash (public, immutable).
 */
export function registerPromptRoutes(app: ApiApp, db: Db): void {
  app.get('/api/telephony/prompts', {
    config: admin,
    schema: { tags, summary: "Every voice prompt, its shipped words and the admin's court's own version", response: { 200: promptsView, ...errorResponses } },
    handler: async (request) => view(db, request.actor.courtId),
  });

  app.get('/api/telephony/prompts/:name/audio', {
    config: admin,
    schema: {
      tags,
      summary: "What the court's callers hear for a prompt (audio/wav): the court's own, or the shipped one (?shipped=1 for that one always)",
      params: promptParam,
      querystring: z.strictObject({ shipped: z.enum(['0', '1']).optional(), v: z.string().max(64).optional() }),
      response: errorResponses,
    },
    handler: async (request, reply) => {
      const { name } = request.params;
      const own = request.query.shipped === '1' ? undefined : await courtPromptAudio(db, request.actor.courtId, name);
      const wav = own ?? (await readFile(join(shippedPromptsDir, `${name}.wav`)));
      return sendWav(reply, wav, 'private, no-store');
    },
  });

  app.put('/api/telephony/prompts/:name/recording', {
    config: admin,
    bodyLimit: Math.ceil((maxUploadBytes * 4) / 3) + 4096,
    schema: {
      tags,
      summary: "Replace a prompt for the admin's court with an uploaded recording (base64; wav, mp3, ogg, flac…), converted for Asterisk; from the next call",
      params: promptParam,
      body: z.strictObject({
        fileName: z.string().trim().min(1).max(255),
        audioBase64: z.string().min(1).regex(/^[A-Za-z0-9+/=\s]+$/, 'base64'),
      }),
      response: { 200: promptView, 413: errorBodySchema, ...errorResponses },
    },
    handler: async (request) => {
      const { name } = request.params;
      const bytes = Buffer.from(request.body.audioBase64, 'base64');
      if (bytes.length > maxUploadBytes) throw errors.bodyTooLarge();
      const audio = await convertUpload(bytes, request.body.fileName);
      await saveCourtPrompt(db, { courtId: request.actor.courtId, prompt: name, source: 'upload', text: null, fileName: request.body.fileName, audio, userId: request.actor.userId });
      request.log.info({ actor: request.actor.userId, prompt: name, durationMs: audio.durationMs }, 'voice prompt uploaded');
      return one(db, request.actor.courtId, name);
    },
  });

  app.put('/api/telephony/prompts/:name/text', {
    config: admin,
    schema: {
      tags,
      summary: "Replace a prompt for the admin's court with words spoken by espeak-ng (Mandarin); from the next call",
      params: promptParam,
      body: z.strictObject({ text: z.string().trim().min(1).max(maxPromptText) }),
      response: { 200: promptView, ...errorResponses },
    },
    handler: async (request) => {
      const { name } = request.params;
      const audio = await speak(request.body.text);
      await saveCourtPrompt(db, { courtId: request.actor.courtId, prompt: name, source: 'text', text: request.body.text, fileName: null, audio, userId: request.actor.userId });
      request.log.info({ actor: request.actor.userId, prompt: name, durationMs: audio.durationMs }, 'voice prompt spoken');
      return one(db, request.actor.courtId, name);
    },
  });

  app.delete('/api/telephony/prompts/:name', {
    config: admin,
    schema: { tags, summary: "Back to the shipped prompt for the admin's court; from the next call", params: promptParam, response: { 200: promptView, ...errorResponses } },
    handler: async (request) => {
      const { name } = request.params;
      if (!(await removeCourtPrompt(db, request.actor.courtId, name)))
        throw new HotlineError('prompt_not_replaced', 404, 'This court already plays the shipped prompt.', '本院使用的已是默认提示音。');
      return one(db, request.actor.courtId, name);
    },
  });

  app.get('/api/telephony/prompt-audio/:file', {
    config: { roles: 'public' },
    schema: {
      tags,
      summary: "A court's prompt as Asterisk fetches it (sound:<url>), by its content hash: immutable, so Asterisk's media cache keeps it",
      params: z.strictObject({ file: z.string().regex(/^[0-9a-f]{64}\.wav$/, '<sha256>.wav') }),
      response: errorResponses,
    },
    handler: async (request, reply) => {
      const sha = request.params.file.slice(0, 64);
      const wav = await promptAudioByHash(db, sha);
      if (!wav) throw errors.notFound('prompt');
      (reply as unknown as FastifyReply).header('etag', `"${sha}"`);
      return sendWav(reply, wav, 'public, max-age=31536000, immutable');
    },
  });
}
