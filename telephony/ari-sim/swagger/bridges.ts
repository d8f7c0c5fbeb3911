import { api, declaration, model, op, type ApiDeclaration } from './builder.ts';

const NOT_FOUND: [number, string] = [404, 'Bridge not found'];
const ID = '@bridgeId';

export function bridgesApi(basePath: string): ApiDeclaration {
  return declaration(
    'bridges',
    basePath,
    [
      api(
        '/bridges',
        'Active bridges',
        op('GET', 'list', 'List[Bridge]', 'List all active bridges in Asterisk.'),
        op('POST', 'create', 'Bridge', 'Create a new bridge.', ['type', 'bridgeId', 'name']),
      ),
      api(
        '/bridges/{bridgeId}',
        'Individual bridge',
        op('POST', 'createWithId', 'Bridge', 'Create a new bridge or update an existing one.', ['type', ID, 'name']),
        op('GET', 'get', 'Bridge', 'Get bridge details.', [ID], [NOT_FOUND]),
        op('DELETE', 'destroy', 'void', 'Shut down a bridge.', [ID], [NOT_FOUND]),
      ),
      api('/bridges/{bridgeId}/addChannel', 'Add a channel to a bridge', op('POST', 'addChannel', 'void', 'Add a channel to a bridge.', [ID, '*channel:string[]', 'role', 'absorbDTMF:boolean=false', 'mute:boolean=false', 'inhibitConnectedLineUpdates:boolean=false'], [[400, 'Channel not found'], NOT_FOUND, [422, 'Channel not in Stasis application']])),
      api('/bridges/{bridgeId}/removeChannel', 'Remove a channel from a bridge', op('POST', 'removeChannel', 'void', 'Remove a channel from a bridge.', [ID, '*channel:string[]'], [[400, 'Channel not found'], NOT_FOUND, [422, 'Channel not in this bridge']])),
      api(
        '/bridges/{bridgeId}/moh',
        'Play music on hold to a bridge',
        op('POST', 'startMoh', 'void', 'Play music on hold to a bridge or change the MOH class that is playing.', [ID, 'mohClass'], [NOT_FOUND]),
        op('DELETE', 'stopMoh', 'void', 'Stop playing music on hold to a bridge.', [ID], [NOT_FOUND]),
      ),
      api('/bridges/{bridgeId}/play', 'Play media to the participants of a bridge', op('POST', 'play', 'Playback', 'Start playback of media on a bridge.', [ID, '*media:string[]', 'lang', 'offsetms:int', 'skipms:int=3000', 'playbackId'], [NOT_FOUND])),
      api('/bridges/{bridgeId}/play/{playbackId}', 'Play media to a bridge', op('POST', 'playWithId', 'Playback', 'Start playback of media on a bridge with a playbackId.', [ID, '@playbackId', '*media:string[]', 'lang', 'offsetms:int', 'skipms:int=3000'], [NOT_FOUND])),
      api('/bridges/{bridgeId}/record', 'Record audio on a bridge', op('POST', 'record', 'LiveRecording', 'Start a recording.', [ID, '*name', '*format', 'maxDurationSeconds:int=0', 'maxSilenceSeconds:int=0', 'ifExists=fail', 'beep:boolean=false', 'terminateOn=none'], [[400, 'Invalid parameters'], NOT_FOUND])),
    ],
    {
      Bridge: model('Bridge', 'The merging of media from one or more channels.', {
        id: 'string',
        technology: 'string',
        bridge_type: 'string',
        bridge_class: 'string',
        creator: 'string',
        name: 'string',
        channels: 'List[string]',
        creationtime: 'Date',
        video_mode: 'string?',
      }),
    },
  );
}
