import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SimAsterisk } from '../model/asterisk.ts';
import { playbackJson, stopPlayback, stopRecording } from '../model/media.ts';
import { pcmWav } from '../wav.ts';
import { ariError, noContent, params, type RouteContext } from './common.ts';

type WithPlayback = FastifyRequest<{ Params: { playbackId: string } }>;
type WithRecording = FastifyRequest<{ Params: { recordingName: string } }>;

const findPlayback = (ast: SimAsterisk, id: string) => {
  const playback = ast.playbacks.get(id);
  if (!playback) throw ariError(404, 'Playback not found');
  return playback;
};
const findLive = (ast: SimAsterisk, name: string) => {
  const recording = ast.liveRecordings.get(name);
  if (!recording) throw ariError(404, 'Recording not found');
  return recording;
};
const findStored = (ast: SimAsterisk, name: string) => {
  const recording = ast.storedRecordings.get(name);
  if (!recording) throw ariError(404, 'Recording not found');
  return recording;
};

/** A short silent 8 kHz mono WAV standing in for a recording's audio. */
export function silentWav(durationMs: number): Buffer {
  const samples = Math.max(1, Math.min(8000 * 60, Math.round((durationMs / 1000) * 8000)));
  return pcmWav(Buffer.alloc(samples * 2), 8000);
}

export function mediaRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get('/ari/playbacks/:playbackId', async (request: WithPlayback) => playbackJson(findPlayback(ctx.asterisk(), request.params.playbackId)));
  app.delete('/ari/playbacks/:playbackId', async (request: WithPlayback, reply) => {
    const ast = ctx.asterisk();
    stopPlayback(ast, findPlayback(ast, request.params.playbackId));
    return noContent(reply);
  });
  app.post('/ari/playbacks/:playbackId/control', async (request: WithPlayback, reply) => {
    const playback = findPlayback(ctx.asterisk(), request.params.playbackId);
    const operation = params(request).operation;
    if (!operation || !['restart', 'pause', 'unpause', 'reverse', 'forward'].includes(operation)) throw ariError(400, 'Invalid operation');
    if (playback.state !== 'playing' && playback.state !== 'paused') throw ariError(409, 'Playback not playing');
    if (operation === 'pause') playback.state = 'paused';
    if (operation === 'unpause') playback.state = 'playing';
    return noContent(reply);
  });

  app.get('/ari/recordings/stored', async () => [...ctx.asterisk().storedRecordings.values()].map(({ name, format }) => ({ name, format })));
  app.get('/ari/recordings/stored/:recordingName', async (request: WithRecording) => {
    const { name, format } = findStored(ctx.asterisk(), request.params.recordingName);
    return { name, format };
  });
  app.get('/ari/recordings/stored/:recordingName/file', async (request: WithRecording, reply) => {
    const stored = findStored(ctx.asterisk(), request.params.recordingName);
    return reply.type('audio/wav').send(silentWav(stored.durationMs));
  });
  app.delete('/ari/recordings/stored/:recordingName', async (request: WithRecording, reply) => {
    const ast = ctx.asterisk();
    findStored(ast, request.params.recordingName);
    ast.storedRecordings.delete(request.params.recordingName);
    return noContent(reply);
  });
  app.post('/ari/recordings/stored/:recordingName/copy', async (request: WithRecording) => {
    const ast = ctx.asterisk();
    const source = findStored(ast, request.params.recordingName);
    const destination = params(request).destinationRecordingName;
    if (!destination) throw ariError(400, 'destinationRecordingName is required');
    if (ast.storedRecordings.has(destination)) throw ariError(409, 'A recording with the same name already exists on the system');
    ast.storedRecordings.set(destination, { ...source, name: destination });
    return { name: destination, format: source.format };
  });

  app.get('/ari/recordings/live/:recordingName', async (request: WithRecording) => findLive(ctx.asterisk(), request.params.recordingName).json);
  app.delete('/ari/recordings/live/:recordingName', async (request: WithRecording, reply) => {
    const ast = ctx.asterisk();
    stopRecording(ast, findLive(ast, request.params.recordingName), 'canceled');
    return noContent(reply);
  });
  app.post('/ari/recordings/live/:recordingName/stop', async (request: WithRecording, reply) => {
    const ast = ctx.asterisk();
    stopRecording(ast, findLive(ast, request.params.recordingName));
    return noContent(reply);
  });
  for (const action of ['pause', 'mute'] as const) {
    for (const method of ['POST', 'DELETE'] as const) {
      app.route({
        method,
        url: `/ari/recordings/live/:recordingName/${action}`,
        handler: async (request: WithRecording, reply) => {
          const recording = findLive(ctx.asterisk(), request.params.recordingName);
          if (action === 'pause') recording.json.state = method === 'POST' ? 'paused' : 'recording';
          return noContent(reply);
        },
      });
    }
  }
}
