import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { HotlineError } from '../../platform/errors.ts';
import { wavDurationMs } from './wav-duration.ts';

const run = promisify(execFile);

/** What Asterisk plays without transcoding (as asterisk-config/sounds/generate.sh makes the shipped prompts). */
export const promptRate = 8000;
/** The longest prompt a court may set; the longest shipped one is ~20 s. */
export const maxPromptSeconds = 60;
/** The most text espeak-ng is asked to speak (the longest shipped prompt's words are ~70 characters). */
export const maxPromptText = 300;
/** The largest upload accepted (a minute of CD-quality wav is ~10 MB). */
export const maxUploadBytes = 12 * 1024 * 1024;
/** Formats sox reads here (sox -h, AUDIO FILE FORMATS), by file name ending; mp3 needs libsox-fmt-mp3. */
export const uploadFormats = ['wav', 'mp3', 'ogg', 'oga', 'flac', 'aif', 'aiff', 'au', 'amr', 'gsm'] as const;
const toolTimeoutMs = 20_000;

export interface PromptAudio {
  wav: Buffer;
  durationMs: number;
}

const badAudio = (detail: string) =>
  new HotlineError('bad_audio', 400, `The file could not be read as audio (${detail}); nothing was changed.`, `无法识别该音频文件（${detail}），未做任何更改。`);

/** Runs a program (never a shell) in `dir`, killed after the timeout; its failure is the caller's `onFail`. */
async function tool(program: string, args: string[], onFail: (stderr: string) => HotlineError): Promise<void> {
  try {
    await run(program, args, { timeout: toolTimeoutMs, maxBuffer: 1024 * 1024 });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string; killed?: boolean };
    if (e.code === 'ENOENT') throw new HotlineError('audio_tools_missing', 503, `${program} is not installed on the server (apt-get install sox espeak-ng).`, `服务器未安装 ${program}（apt-get install sox espeak-ng）。`);
    if (e.killed) throw onFail('took too long');
    throw onFail((e.stderr ?? e.message).trim().split('\n').pop() ?? '');
  }
}

/** sox: any readable input → 8 kHz mono 16-bit wav, cut just past the limit (a longer one is refused after). */
async function toPromptWav(dir: string, input: string, extra: string[] = []): Promise<PromptAudio> {
  const out = join(dir, 'prompt.wav');
  await tool('sox', [input, '-r', String(promptRate), '-c', '1', '-b', '16', '-e', 'signed-integer', out, ...extra, 'trim', '0', String(maxPromptSeconds + 1)], (detail) =>
    badAudio(detail.replace(/^sox (FAIL|WARN) [a-z]+: /, '').replace(/can't open input file `[^`']*': /, '').replace(/`[^`']*'/g, 'the file') || 'sox failed'),
  );
  const wav = await readFile(out);
  const durationMs = wavDurationMs(wav);
  if (durationMs === null || durationMs < 100) throw badAudio('no sound in it');
  if (durationMs > maxPromptSeconds * 1000)
    throw new HotlineError('audio_too_long', 400, `A prompt may last at most ${maxPromptSeconds} s; nothing was changed.`, `提示音最长 ${maxPromptSeconds} 秒，未做任何更改。`);
  return { wav, durationMs };
}

async function inTempDir<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'hotline-prompt-'));
  try {
    return await work(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The format of an upload from its name's ending, or a 400 naming the ones accepted. */
export function uploadFormat(fileName: string): (typeof uploadFormats)[number] {
  const ext = /\.([A-Za-z0-9]+)$/.exec(fileName)?.[1]?.toLowerCase();
  const known = uploadFormats.find((f) => f === ext);
  if (!known)
    throw new HotlineError('unsupported_audio_format', 400, `Upload one of: ${uploadFormats.join(', ')}.`, `请上传以下格式之一：${uploadFormats.join('、')}。`);
  return known;
}

/** An uploaded recording, converted; unreadable, silent or too long → 400. */
export async function convertUpload(bytes: Buffer, fileName: string): Promise<PromptAudio> {
  const format = uploadFormat(fileName);
  if (bytes.length === 0) throw badAudio('empty file');
  return inTempDir(async (dir) => {
    // The file's own name never reaches the command line: only the format chosen from the list above.
    const input = join(dir, `upload.${format}`);
    await writeFile(input, bytes);
    return toPromptWav(dir, input);
  });
}

/** Words spoken by espeak-ng's Mandarin voice, then converted as generate.sh does (3 dB quieter). */
export function speak(text: string): Promise<PromptAudio> {
  return inTempDir(async (dir) => {
    const words = join(dir, 'words.txt');
    const spoken = join(dir, 'spoken.wav');
    // From a file, so no text can be taken for an option.
    await writeFile(words, text, 'utf8');
    await tool('espeak-ng', ['-v', 'cmn', '-s', '150', '-w', spoken, '-f', words], (detail) =>
      new HotlineError('speech_failed', 400, `espeak-ng could not speak the text (${detail}).`, `无法合成该文字的语音（${detail}）。`),
    );
    return toPromptWav(dir, spoken, ['gain', '-3']);
  });
}
