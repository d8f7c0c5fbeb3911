import { api, declaration, model, op, type ApiDeclaration } from './builder.ts';

export function asteriskApi(basePath: string): ApiDeclaration {
  return declaration(
    'asterisk',
    basePath,
    [
      api('/asterisk/info', 'Asterisk system information', op('GET', 'getInfo', 'AsteriskInfo', 'Gets Asterisk system information.', ['only:string[]'])),
      api('/asterisk/ping', 'Asterisk ping', op('GET', 'ping', 'AsteriskPing', 'Response pong message.')),
    ],
    {
      AsteriskInfo: model('AsteriskInfo', 'Asterisk system information', { build: 'object?', system: 'object?', config: 'object?', status: 'object?' }),
      AsteriskPing: model('AsteriskPing', 'Asterisk ping information', { asterisk_id: 'string', ping: 'string', timestamp: 'string' }),
    },
  );
}

export function endpointsApi(basePath: string): ApiDeclaration {
  return declaration(
    'endpoints',
    basePath,
    [
      api('/endpoints', 'Asterisk endpoints', op('GET', 'list', 'List[Endpoint]', 'List all endpoints.')),
      api('/endpoints/{tech}', 'Asterisk endpoints', op('GET', 'listByTech', 'List[Endpoint]', 'List available endoints for a given endpoint technology.', ['@tech'], [[404, 'Endpoints not found']])),
      api('/endpoints/{tech}/{resource}', 'Single endpoint', op('GET', 'get', 'Endpoint', 'Details for an endpoint.', ['@tech', '@resource'], [[400, 'Invalid parameters'], [404, 'Endpoints not found']])),
    ],
    {
      Endpoint: model('Endpoint', 'An external device that may offer/accept calls to/from Asterisk.', {
        technology: 'string',
        resource: 'string',
        state: 'string?',
        channel_ids: 'List[string]',
      }),
    },
  );
}

export function applicationsApi(basePath: string): ApiDeclaration {
  return declaration(
    'applications',
    basePath,
    [
      api('/applications', 'Stasis applications', op('GET', 'list', 'List[Application]', 'List all applications.')),
      api('/applications/{applicationName}', 'Stasis application', op('GET', 'get', 'Application', 'Get details of an application.', ['@applicationName'], [[404, 'Application does not exist.']])),
    ],
    {
      Application: model('Application', 'Details of a Stasis application', {
        name: 'string',
        channel_ids: 'List[string]',
        bridge_ids: 'List[string]',
        endpoint_ids: 'List[string]',
        device_names: 'List[string]',
        events_allowed: 'List[object]',
        events_disallowed: 'List[object]',
      }),
    },
  );
}

export function soundsApi(basePath: string): ApiDeclaration {
  return declaration(
    'sounds',
    basePath,
    [
      api('/sounds', 'Sounds', op('GET', 'list', 'List[Sound]', 'List all sounds.', ['lang', 'format'])),
      api('/sounds/{soundId}', 'Individual sound', op('GET', 'get', 'Sound', "Get a sound's details.", ['@soundId'])),
    ],
    {
      Sound: model('Sound', 'A media file that may be played back.', { id: 'string', text: 'string?', formats: 'List[FormatLangPair]' }),
      FormatLangPair: model('FormatLangPair', 'Identifies the format and language of a sound file', { language: 'string', format: 'string' }),
    },
  );
}

export function playbacksApi(basePath: string): ApiDeclaration {
  const ID = '@playbackId';
  return declaration(
    'playbacks',
    basePath,
    [
      api(
        '/playbacks/{playbackId}',
        'Control object for a playback operation.',
        op('GET', 'get', 'Playback', "Get a playback's details.", [ID], [[404, 'The playback cannot be found']]),
        op('DELETE', 'stop', 'void', 'Stop a playback.', [ID], [[404, 'The playback cannot be found']]),
      ),
      api('/playbacks/{playbackId}/control', 'Control object for a playback operation.', op('POST', 'control', 'void', 'Control a playback.', [ID, '*operation'], [[400, 'The provided operation parameter was invalid'], [404, 'The playback cannot be found'], [409, 'The operation cannot be performed in the playback\'s current state']])),
    ],
    {
      Playback: model('Playback', 'Object representing the playback of media to a channel', {
        id: 'string',
        media_uri: 'string',
        next_media_uri: 'string?',
        target_uri: 'string',
        language: 'string?',
        state: 'string',
      }),
    },
  );
}

export function recordingsApi(basePath: string): ApiDeclaration {
  const NAME = '@recordingName';
  const NOT_FOUND: [number, string] = [404, 'Recording not found'];
  return declaration(
    'recordings',
    basePath,
    [
      api('/recordings/stored', 'Recordings', op('GET', 'listStored', 'List[StoredRecording]', 'List recordings that are complete.')),
      api(
        '/recordings/stored/{recordingName}',
        'Individual recording',
        op('GET', 'getStored', 'StoredRecording', 'Get a stored recording\'s details.', [NAME], [NOT_FOUND]),
        op('DELETE', 'deleteStored', 'void', 'Delete a stored recording.', [NAME], [NOT_FOUND]),
      ),
      api('/recordings/stored/{recordingName}/file', 'The actual file associated with the stored recording', op('GET', 'getStoredFile', 'binary', 'Get the file associated with the stored recording.', [NAME], [NOT_FOUND])),
      api('/recordings/stored/{recordingName}/copy', 'Copy an individual recording', op('POST', 'copyStored', 'StoredRecording', 'Copy a stored recording.', [NAME, '*destinationRecordingName'], [NOT_FOUND, [409, 'A recording with the same name already exists on the system']])),
      api(
        '/recordings/live/{recordingName}',
        'A recording that is in progress',
        op('GET', 'getLive', 'LiveRecording', 'List live recordings.', [NAME], [NOT_FOUND]),
        op('DELETE', 'cancel', 'void', 'Stop a live recording and discard it.', [NAME], [NOT_FOUND]),
      ),
      api('/recordings/live/{recordingName}/stop', '', op('POST', 'stop', 'void', 'Stop a live recording and store it.', [NAME], [NOT_FOUND])),
      api(
        '/recordings/live/{recordingName}/pause',
        '',
        op('POST', 'pause', 'void', 'Pause a live recording.', [NAME], [NOT_FOUND]),
        op('DELETE', 'unpause', 'void', 'Unpause a live recording.', [NAME], [NOT_FOUND]),
      ),
      api(
        '/recordings/live/{recordingName}/mute',
        '',
        op('POST', 'mute', 'void', 'Mute a live recording.', [NAME], [NOT_FOUND]),
        op('DELETE', 'unmute', 'void', 'Unmute a live recording.', [NAME], [NOT_FOUND]),
      ),
    ],
    {
      StoredRecording: model('StoredRecording', 'A past recording that may be played back.', { name: 'string', format: 'string' }),
      LiveRecording: model('LiveRecording', 'A recording that is in progress', {
        name: 'string',
        format: 'string',
        target_uri: 'string',
        state: 'string',
        duration: 'int?',
        talking_duration: 'int?',
        silence_duration: 'int?',
        cause: 'string?',
      }),
    },
  );
}
