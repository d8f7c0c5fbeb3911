import { api, declaration, model, op, param, type ApiDeclaration } from './builder.ts';

/** Per-type fields of every event the stand-in emits (besides type, timestamp, asterisk_id, application). */
const EVENT_FIELDS: Record<string, Record<string, string>> = {
  StasisStart: { args: 'List[string]', channel: 'Channel', replace_channel: 'Channel?' },
  StasisEnd: { channel: 'Channel' },
  ChannelStateChange: { channel: 'Channel' },
  ChannelDtmfReceived: { digit: 'string', duration_ms: 'int', channel: 'Channel' },
  ChannelVarset: { variable: 'string', value: 'string', channel: 'Channel?' },
  ChannelHangupRequest: { cause: 'int?', soft: 'boolean?', tech_cause: 'int?', channel: 'Channel' },
  ChannelDestroyed: { cause: 'int', cause_txt: 'string', tech_cause: 'int?', channel: 'Channel' },
  ChannelDialplan: { dialplan_app: 'string', dialplan_app_data: 'string', channel: 'Channel' },
  ChannelConnectedLine: { channel: 'Channel' },
  ChannelHold: { musicclass: 'string?', channel: 'Channel' },
  ChannelUnhold: { channel: 'Channel' },
  ChannelEnteredBridge: { bridge: 'Bridge', channel: 'Channel?' },
  ChannelLeftBridge: { bridge: 'Bridge', channel: 'Channel' },
  BridgeCreated: { bridge: 'Bridge' },
  BridgeDestroyed: { bridge: 'Bridge' },
  Dial: { caller: 'Channel?', peer: 'Channel', forward: 'string?', forwarded: 'Channel?', dialstring: 'string?', dialstatus: 'string' },
  PlaybackStarted: { playback: 'Playback' },
  PlaybackContinuing: { playback: 'Playback' },
  PlaybackFinished: { playback: 'Playback' },
  RecordingStarted: { recording: 'LiveRecording' },
  RecordingFinished: { recording: 'LiveRecording' },
  RecordingFailed: { recording: 'LiveRecording' },
  EndpointStateChange: { endpoint: 'Endpoint' },
  ApplicationReplaced: {},
  ChannelUserevent: { eventname: 'string', channel: 'Channel?', bridge: 'Bridge?', endpoint: 'Endpoint?', userevent: 'object' },
};

export const EVENT_TYPES = Object.keys(EVENT_FIELDS);

export function eventsApi(basePath: string): ApiDeclaration {
  const models: ApiDeclaration['models'] = {
    Message: { ...model('Message', 'Base type for errors and events', { type: 'string', asterisk_id: 'string?' }), subTypes: ['MissingParams', 'Event'] },
    MissingParams: { ...model('MissingParams', 'Error event sent when required params are missing.', { params: 'List[string]' }), extends: 'Message' },
    Event: { ...model('Event', 'Base type for asynchronous events from Asterisk.', { application: 'string', timestamp: 'Date' }), extends: 'Message', subTypes: EVENT_TYPES },
  };
  for (const [type, fields] of Object.entries(EVENT_FIELDS)) {
    models[type] = { ...model(type, `${type} event`, fields), extends: 'Event' };
  }
  return declaration(
    'events',
    basePath,
    [
      api(
        '/events',
        'Events from Asterisk to applications',
        op('GET', 'eventWebsocket', 'Message', 'WebSocket connection for events.', [param('*app:string[]', 'Applications to subscribe to.'), 'subscribeAll:boolean']),
      ),
      api(
        '/events/user/{eventName}',
        'Stasis application user events',
        op('POST', 'userEvent', 'void', 'Generate a user event.', ['@eventName', '*application', 'source:string[]', '$variables:containers'], [
          [404, 'Application does not exist.'],
          [422, 'Event source not found.'],
          [400, 'Invalid even tsource URI or userevent data.'],
        ]),
      ),
    ],
    models,
  );
}
