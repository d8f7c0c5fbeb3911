/**
 * The old name of `npm run verify` (verify.ts at the root): the ticket trail and the call records, checked
 * together with the seal key's public half and the checkpoint file; exits 1 naming every broken record.
 */
await import('../../verify.ts');
