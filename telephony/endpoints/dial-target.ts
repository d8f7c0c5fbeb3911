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

/**
 * The ARI `endpoint` to originate to, e.g. `PJSIP/ext-8001` or `PJSIP/01062345678@trunk` (`trunkDial`, the
 * setting TELEPHONY_TRUNK_DIAL, with `{number}` in it); null when the value is not a phone number at all.
 */
export function dialTarget(extension: string, trunkDial = 'PJSIP/{number}@trunk'): string | null {
  const v = extension.replace(/[\s-]/g, '');
  if (isDeskExtension(v)) return `PJSIP/${deskEndpoint(v)}`;
  return /^\+?[0-9]{3,20}$/.test(v) ? trunkDial.replace('{number}', v) : null;
}

/** The PJSIP endpoint on every other node that reaches `node` (docs/telephony.md, several Asterisk nodes). */
export function trunkEndpoint(node: string): string {
  return `trunk-${node}`;
}

/**
 * What an operator's leg dials from the caller's node (after `PJSIP/`): the softphone's own endpoint when it is
 * registered on that node or nowhere known, else the endpoint through the trunk to the node it is registered on.
 */
export function operatorLegEndpoint(endpoint: string, registeredOn: string | undefined, callNode: string): string {
  return registeredOn === undefined || registeredOn === callNode ? endpoint : `${endpoint}@${trunkEndpoint(registeredOn)}`;
}
