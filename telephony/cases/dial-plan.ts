/** How transfers reach outside numbers: TELEPHONY_TRUNK_DIAL, a dial string with `{number}` in it. */
export interface DialPlan {
  trunkDial: string;
}
