/** A V8 .cpuprofile as `node --cpu-prof` writes it, read for the profiling aids (api-profile-summary.ts, profile-stretches.ts). */
import { readFileSync } from 'node:fs';

export interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

export interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  /** Microseconds between one sample and the one before it. */
  timeDeltas: number[];
}

/** The profile and its nodes by id. */
export function readProfile(file: string): { profile: Profile; byId: Map<number, ProfileNode> } {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  return { profile, byId: new Map(profile.nodes.map((n) => [n.id, n])) };
}
