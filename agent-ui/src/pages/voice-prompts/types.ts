/** GET /api/telephony/prompts (telephony/prompts/routes.ts). */
export interface CourtPrompt {
  source: 'upload' | 'text';
  text: string | null;
  fileName: string | null;
  sha256: string;
  durationMs: number;
  updatedBy: string | null;
  updatedAt: string;
}

export interface VoicePrompt {
  name: string;
  shippedText: string;
  custom: CourtPrompt | null;
}

export interface VoicePrompts {
  maxSeconds: number;
  maxText: number;
  maxUploadBytes: number;
  formats: string[];
  prompts: VoicePrompt[];
}

/** What the court's callers hear now; the version in the address makes the player fetch a replaced prompt anew. */
export const audioUrl = (p: VoicePrompt) => `/api/telephony/prompts/${p.name}/audio?v=${p.custom?.sha256 ?? 'shipped'}`;
