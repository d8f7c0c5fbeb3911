import type { SimAsterisk } from '../model/asterisk.ts';
import type { SimBridge } from '../model/bridge.ts';
import type { SimChannel } from '../model/channel.ts';
import { record } from '../model/media.ts';
import type { LiveRecordingJson } from '../types.ts';
import { ariError, integerParam } from './common.ts';

/** Validates POST …/record parameters and starts the recording; the response shows state `queued`. */
export function startRecording(
  ast: SimAsterisk,
  target: { kind: 'channel'; channel: SimChannel } | { kind: 'bridge'; bridge: SimBridge },
  p: Record<string, string | undefined>,
): LiveRecordingJson {
  if (!p.name) throw ariError(400, 'Recording name is required');
  if (!p.format) throw ariError(400, 'Recording format is required');
  if (!/^[A-Za-z0-9_.\-/]+$/.test(p.name) || p.name.includes('..')) throw ariError(400, 'Invalid recording name');
  const ifExists = p.ifExists ?? 'fail';
  if (!['fail', 'overwrite', 'append'].includes(ifExists)) throw ariError(400, 'ifExists invalid');
  if (ast.liveRecordings.has(p.name)) throw ariError(409, 'Recording is already in progress');
  if (ifExists === 'fail' && ast.storedRecordings.has(p.name)) throw ariError(422, 'Recording already exists');
  const terminateOn = p.terminateOn ?? 'none';
  if (!/^(none|any|[0-9*#]+)$/.test(terminateOn)) throw ariError(400, 'terminateOn invalid');
  const recording = record(ast, target, {
    name: p.name,
    format: p.format,
    maxDurationSeconds: integerParam(p.maxDurationSeconds, 0, 'maxDurationSeconds'),
    terminateOn,
    ifExists: ifExists as 'fail' | 'overwrite' | 'append',
  });
  return { ...recording.json, state: 'queued' };
}
