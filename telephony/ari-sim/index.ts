export { AriSim, startAriSim, type PlaceCallOptions } from './sim.ts';
export { CallHandle, EndpointControl } from './script.ts';
export type { AriSimOptions, EndpointBehavior, EndpointConfig } from './config.ts';
export type { EmittedEvent, WaitForOptions } from './event-hub.ts';
export type * from './types.ts';
export { startSyntheticCalls, type SyntheticCallOptions, type SyntheticCallStats } from './synthetic-calls.ts';
