/**
 * Ids of a supervision's ARI objects, derived from the call id so every controller (and a restarted one) knows
 * them: the supervisor's leg `<call>-sv<n>`, a snoop channel `<call>-sn<n>`, the bridge of the two `<call>-sb<n>`.
 */
export const supervisorLegId = (callId: string, n: number) => `${callId}-sv${n}`;
export const snoopId = (callId: string, n: number) => `${callId}-sn${n}`;
export const snoopBridgeId = (callId: string, n: number) => `${callId}-sb${n}`;

const channelPattern = /^(.+)-(?:sv|sn)\d+$/;
const bridgePattern = /^(.+)-sb\d+$/;

export const isSupervisionChannel = (id: string) => channelPattern.test(id);
export const isSupervisionBridge = (id: string) => bridgePattern.test(id);
/** The call a supervision channel or bridge belongs to. */
export const callOfSupervision = (id: string) => channelPattern.exec(id)?.[1] ?? bridgePattern.exec(id)?.[1];
