import type { ApiDeclaration } from './builder.ts';
import { bridgesApi } from './bridges.ts';
import { channelsApi } from './channels.ts';
import { eventsApi } from './events.ts';
import { applicationsApi, asteriskApi, endpointsApi, playbacksApi, recordingsApi, soundsApi } from './others.ts';
import { ARI_API_VERSION } from './builder.ts';

const RESOURCES: Array<[string, string, (basePath: string) => ApiDeclaration]> = [
  ['asterisk', 'Asterisk resources', asteriskApi],
  ['endpoints', 'Endpoint resources', endpointsApi],
  ['channels', 'Channel resources', channelsApi],
  ['bridges', 'Bridge resources', bridgesApi],
  ['recordings', 'Recording resources', recordingsApi],
  ['sounds', 'Sound resources', soundsApi],
  ['playbacks', 'Playback control resources', playbacksApi],
  ['events', 'WebSocket resource', eventsApi],
  ['applications', 'Stasis application resources', applicationsApi],
];

/** GET /ari/api-docs/resources.json; basePath comes from the request's Host header, as Asterisk does. */
export function resourceListing(basePath: string) {
  return {
    apiVersion: ARI_API_VERSION,
    swaggerVersion: '1.1',
    basePath,
    apis: RESOURCES.map(([name, description]) => ({ path: `/api-docs/${name}.{format}`, description })),
  };
}

export function resourceDeclaration(name: string, basePath: string): ApiDeclaration | null {
  const entry = RESOURCES.find(([resource]) => resource === name);
  return entry ? entry[2](basePath) : null;
}
