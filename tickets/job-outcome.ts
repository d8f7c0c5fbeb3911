/** How a ticket job ended (chase timers, deliveries): what its worker logs and counts. */
export type JobOutcome = 'applied' | 'stale' | 'already_applied' | 'sent' | 'dialled' | 'failed';
