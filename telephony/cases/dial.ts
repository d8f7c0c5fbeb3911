/**
 * What Asterisk dials to reach a judge's or department's phone: a short number is an internal extension
 * (an endpoint of that name), anything longer goes out through the trunk. Both patterns are settings
 * (TELEPHONY_EXTENSION_DIAL, TELEPHONY_TRUNK_DIAL) with `{extension}` / `{number}` in them.
 */
export interface DialPlan {
  extensionDial: string;
  trunkDial: string;
}

const extension = /^[0-9]{2,6}$/;
const outside = /^\+?[0-9]{7,20}$/;

/** The dial string for an extension or outside number, or null when it is neither. */
export function dialFor(value: string, plan: DialPlan): string | null {
  const v = value.replace(/[\s-]/g, '');
  if (extension.test(v)) return plan.extensionDial.replace('{extension}', v);
  if (outside.test(v)) return plan.trunkDial.replace('{number}', v);
  return null;
}
