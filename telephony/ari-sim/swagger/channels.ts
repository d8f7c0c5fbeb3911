import { api, declaration, model, op, type ApiDeclaration } from './builder.ts';

const NOT_FOUND: [number, string] = [404, 'Channel not found'];
const NOT_IN_STASIS: [number, string] = [412, 'Channel not in a Stasis application'];
const ID = '@channelId';

export function channelsApi(basePath: string): ApiDeclaration {
  const originateParams = [
    'endpoint',
    'extension',
    'context',
    'priority:long',
    'label',
    'app',
    'appArgs',
    'callerId',
    'timeout:int=30',
    '$variables:containers',
    'otherChannelId',
    'originator',
    'formats',
  ];
  return declaration(
    'channels',
    basePath,
    [
      api(
        '/channels',
        'Active channels',
        op('GET', 'list', 'List[Channel]', 'List all active channels in Asterisk.'),
        op('POST', 'originate', 'Channel', 'Create a new channel (originate).', [...originateParams, 'channelId'], [
          [400, 'Invalid parameters for originating a channel.'],
          [409, 'Channel with given unique ID already exists.'],
        ]),
      ),
      api(
        '/channels/create',
        'Create a channel and place it in a Stasis app, but do not dial the channel yet.',
        op('POST', 'create', 'Channel', 'Create channel.', ['*endpoint', '*app', 'appArgs', 'channelId', 'otherChannelId', 'originator', 'formats', '$variables:containers'], [
          [409, 'Channel with given unique ID already exists.'],
        ]),
      ),
      api(
        '/channels/{channelId}',
        'Active channel',
        op('GET', 'get', 'Channel', 'Channel details.', [ID], [NOT_FOUND]),
        op('POST', 'originateWithId', 'Channel', 'Create a new channel (originate with id).', [ID, ...originateParams], [[400, 'Invalid parameters']]),
        op('DELETE', 'hangup', 'void', 'Delete (i.e. hangup) a channel.', [ID, 'reason_code', 'reason'], [NOT_FOUND, [400, 'Invalid reason for hangup provided']]),
      ),
      api('/channels/{channelId}/continue', 'Exit application; continue execution in the dialplan', op('POST', 'continueInDialplan', 'void', 'Exit application; continue execution in the dialplan.', [ID, 'context', 'extension', 'priority:int', 'label'], [NOT_FOUND, NOT_IN_STASIS])),
      api('/channels/{channelId}/answer', 'Answer a channel', op('POST', 'answer', 'void', 'Answer a channel.', [ID], [NOT_FOUND, NOT_IN_STASIS])),
      api(
        '/channels/{channelId}/ring',
        'Send a ringing indication to a channel',
        op('POST', 'ring', 'void', 'Indicate ringing to a channel.', [ID], [NOT_FOUND, NOT_IN_STASIS]),
        op('DELETE', 'ringStop', 'void', 'Stop ringing indication on a channel if locally generated.', [ID], [NOT_FOUND, NOT_IN_STASIS]),
      ),
      api('/channels/{channelId}/dtmf', 'Send DTMF to a channel', op('POST', 'sendDTMF', 'void', 'Send provided DTMF to a given channel.', [ID, 'dtmf', 'before:int', 'between:int=100', 'duration:int=100', 'after:int'], [NOT_FOUND, NOT_IN_STASIS])),
      api(
        '/channels/{channelId}/mute',
        'Mute a channel',
        op('POST', 'mute', 'void', 'Mute a channel.', [ID, 'direction=both'], [NOT_FOUND, NOT_IN_STASIS]),
        op('DELETE', 'unmute', 'void', 'Unmute a channel.', [ID, 'direction=both'], [NOT_FOUND, NOT_IN_STASIS]),
      ),
      api(
        '/channels/{channelId}/hold',
        'Put a channel on hold',
        op('POST', 'hold', 'void', 'Hold a channel.', [ID], [NOT_FOUND, NOT_IN_STASIS]),
        op('DELETE', 'unhold', 'void', 'Remove a channel from hold.', [ID], [NOT_FOUND, NOT_IN_STASIS]),
      ),
      api(
        '/channels/{channelId}/moh',
        'Play music on hold to a channel',
        op('POST', 'startMoh', 'void', 'Play music on hold to a channel.', [ID, 'mohClass'], [NOT_FOUND, NOT_IN_STASIS]),
        op('DELETE', 'stopMoh', 'void', 'Stop playing music on hold to a channel.', [ID], [NOT_FOUND, NOT_IN_STASIS]),
      ),
      api(
        '/channels/{channelId}/silence',
        'Play silence to a channel',
        op('POST', 'startSilence', 'void', 'Play silence to a channel.', [ID], [NOT_FOUND, NOT_IN_STASIS]),
        op('DELETE', 'stopSilence', 'void', 'Stop playing silence to a channel.', [ID], [NOT_FOUND, NOT_IN_STASIS]),
      ),
      api('/channels/{channelId}/play', 'Play media to a channel', op('POST', 'play', 'Playback', 'Start playback of media.', [ID, '*media:string[]', 'lang', 'offsetms:int', 'skipms:int=3000', 'playbackId'], [NOT_FOUND, NOT_IN_STASIS])),
      api('/channels/{channelId}/play/{playbackId}', 'Play media to a channel', op('POST', 'playWithId', 'Playback', 'Start playback of media and specify the playbackId.', [ID, '@playbackId', '*media:string[]', 'lang', 'offsetms:int', 'skipms:int=3000'], [NOT_FOUND, NOT_IN_STASIS])),
      api(
        '/channels/{channelId}/record',
        'Record audio from a channel',
        op('POST', 'record', 'LiveRecording', 'Start a recording.', [ID, '*name', '*format', 'maxDurationSeconds:int=0', 'maxSilenceSeconds:int=0', 'ifExists=fail', 'beep:boolean=false', 'terminateOn=none'], [
          [400, 'Invalid parameters'],
          NOT_FOUND,
          [409, 'Channel is not in a Stasis application; the channel is currently bridged with other channels; A recording with the same name already exists on the system and can not be overwritten because it is in progress or ifExists=fail'],
          [422, 'The format specified is unknown on this system'],
        ]),
      ),
      api(
        '/channels/{channelId}/variable',
        'Variables on a channel',
        op('GET', 'getChannelVar', 'Variable', 'Get the value of a channel variable or function.', [ID, '*variable'], [[400, 'Missing variable parameter.'], [404, 'Channel or variable not found']]),
        op('POST', 'setChannelVar', 'void', 'Set the value of a channel variable or function.', [ID, '*variable', 'value'], [[400, 'Missing variable parameter.'], NOT_FOUND]),
      ),
      api('/channels/{channelId}/snoop', 'Snoop (spy/whisper) on a channel', op('POST', 'snoopChannel', 'Channel', 'Start snooping.', [ID, 'spy=none', 'whisper=none', '*app', 'appArgs', 'snoopId'], [[400, 'Invalid parameters'], NOT_FOUND])),
      api('/channels/{channelId}/snoop/{snoopId}', 'Snoop (spy/whisper) on a channel', op('POST', 'snoopChannelWithId', 'Channel', 'Start snooping.', [ID, '@snoopId', 'spy=none', 'whisper=none', '*app', 'appArgs'], [[400, 'Invalid parameters'], NOT_FOUND])),
      api('/channels/{channelId}/dial', 'Dial a channel', op('POST', 'dial', 'void', 'Dial a created channel.', [ID, 'caller', 'timeout:int=0'], [NOT_FOUND, [409, 'Channel cannot be found'], [412, 'Channel in invalid state']])),
    ],
    {
      Channel: model('Channel', 'A specific communication connection between Asterisk and an Endpoint.', {
        id: 'string',
        name: 'string',
        state: 'string',
        protocol_id: 'string',
        caller: 'CallerID',
        connected: 'CallerID',
        accountcode: 'string',
        dialplan: 'DialplanCEP',
        creationtime: 'Date',
        language: 'string',
        channelvars: 'object?',
      }),
      CallerID: model('CallerID', 'Caller identification', { name: 'string', number: 'string' }),
      DialplanCEP: model('DialplanCEP', 'Dialplan location (context/extension/priority)', {
        context: 'string',
        exten: 'string',
        priority: 'long',
        app_name: 'string',
        app_data: 'string',
      }),
      Variable: model('Variable', 'The value of a channel variable', { value: 'string' }),
    },
  );
}
