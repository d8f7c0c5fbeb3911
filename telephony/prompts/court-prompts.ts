import { join } from 'node:path';
import type { Db } from '../../platform/db/client.ts';
import type { Listen } from '../../platform/db/notifications.ts';
import { SerialReload } from '../../platform/db/serial-reload.ts';
import type { Logger } from '../../platform/logger.ts';
import type { Prompt } from '../menu.ts';
import { allCourtPrompts, promptsChannel } from './store.ts';

/** The path the hotline serves a prompt's audio on, by its content hash (routes.ts). */
export const promptAudioPath = (sha256: string) => `/api/telephony/prompt-audio/${sha256}.wav`;

/** Where each prompt a call plays comes from: the court's own (over HTTP) or the shipped one (Asterisk's sounds). */
export interface PromptMedia {
  media(courtId: string | null, prompts: readonly Prompt[]): string[];
}

/** The shipped prompts only: `sound:<soundsDir>/zh/<prompt>` on the Asterisk host. */
export function shippedPrompts(soundsDir: string): PromptMedia {
  return { media: (_court, prompts) => prompts.map((p) => `sound:${join(soundsDir, 'zh', p)}`) };
}

/**
 * Every court's replaced prompts (court, prompt → content hash), in memory so a call never waits on the database,
 * and reloaded the moment an admin changes one (NOTIFY telephony_prompts, sent in the change's transaction), so the
 * next call plays it. A replaced prompt is `sound:<hotline URL>/api/telephony/prompt-audio/<sha256>.wav`, which
 * Asterisk fetches once and keeps in its media cache (a new recording is a new URL). While the database is away the
 * last snapshot keeps deciding.
 */
export class CourtPrompts implements PromptMedia {
  private byCourt = new Map<string, Map<string, string>>();
  private unlisten: (() => Promise<void>) | undefined;
  private readonly reloader: SerialReload;
  private readonly shipped: PromptMedia;
  private readonly log: Logger;
  private warnedNoUrl = false;

  constructor(
    private readonly o: {
      db: Db;
      soundsDir: string;
      logger: Logger;
      /** The hotline's URL as Asterisk reaches it, asked at each call; undefined: none serves the audio (base-url.ts). */
      baseUrl: () => string | undefined;
    },
  ) {
    const log = o.logger.child({ component: 'court-prompts' });
    this.log = log;
    this.shipped = shippedPrompts(o.soundsDir);
    this.reloader = new SerialReload(
      () => this.load(),
      (err) => log.warn({ err: err.message }, 'court prompts not loaded: keeping the last ones, trying again in 1 s'),
      1000,
    );
  }

  async start(listen: Listen): Promise<void> {
    await this.reload();
    this.unlisten = await listen(promptsChannel, () => void this.reload());
  }

  /** One load at a time (SerialReload); a failed one is tried again in 1 s. */
  reload(): Promise<void> {
    return this.reloader.run();
  }

  async stop(): Promise<void> {
    this.reloader.stop();
    await this.unlisten?.();
  }

  /** The content hash of a court's own prompt, or undefined (the shipped one plays). */
  hashOf(courtId: string | null, prompt: Prompt): string | undefined {
    return courtId ? this.byCourt.get(courtId)?.get(prompt) : undefined;
  }

  media(courtId: string | null, prompts: readonly Prompt[]): string[] {
    const base = this.o.baseUrl()?.replace(/\/+$/, '');
    return prompts.map((p) => {
      const sha = this.hashOf(courtId, p);
      if (sha && base) return `sound:${base}${promptAudioPath(sha)}`;
      if (sha) this.noUrl();
      return this.shipped.media(courtId, [p])[0]!;
    });
  }

  /** A court's own prompt with no URL to serve it (no TELEPHONY_PROMPTS_URL, no api role here): said once. */
  private noUrl(): void {
    if (this.warnedNoUrl) return;
    this.warnedNoUrl = true;
    this.log.warn('a court has its own voice prompts, but this process serves no API and TELEPHONY_PROMPTS_URL is unset: the shipped prompts play; set it to the hotline as Asterisk reaches it');
  }

  private async load(): Promise<void> {
    const next = new Map<string, Map<string, string>>();
    for (const row of await allCourtPrompts(this.o.db)) {
      const court = next.get(row.courtId) ?? new Map<string, string>();
      court.set(row.prompt, row.sha256);
      next.set(row.courtId, court);
    }
    this.byCourt = next;
  }
}
