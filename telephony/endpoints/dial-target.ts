/**
 * Where a judge's or department's `extension` rings, as an ARI endpoint. Internal extensions (2–6 digits) are
 * desk phones with a generated PJSIP endpoint `ext-<extension>` (asterisk-config/pjsip_hotline_users.conf);
 * anything else (a leading 0, "+", dashes, longer numbers) is an outside number dialled through the trunk.
 */
export function isDeskExtension(extension: string): boolean {
  return /^[1-9][0-9]{1,5}$/.test(extension);
}

/** The PJSIP endpoint name of a desk phone. */
export function deskEndpoint(extension: string): string {
  return `ext-${extension}`;
}

/** The ARI `endpoint` to originate to, e.g. `PJSIP/ext-8001` or `PJSIP/01062345678@trunk`. */
export function dialTarget(extension: string, trunk = 'trunk'): string {
  if (isDeskExtension(extension)) return `PJSIP/${deskEndpoint(extension)}`;
  return `PJSIP/${extension.replace(/-/g, '')}@${trunk}`;
}
