import { target, type Rate } from '../../api/kpi.ts';

/**
 * The wallboard's colours for a rate: green at or above the 95% target (seed 004 annex 2), amber within five points
 * below it (a shift can still recover), red further down. The amber band is the console's; the target is the KPI one.
 */
export const amberFloor = target - 0.05;
export const thresholdColours = { green: '#389e0d', amber: '#d48806', red: '#cf1322' } as const;

export function rateLevel(rate: Rate | undefined): keyof typeof thresholdColours | undefined {
  if (rate == null) return undefined;
  return rate >= target ? 'green' : rate >= amberFloor ? 'amber' : 'red';
}

export const rateColour = (rate: Rate | undefined) => {
  const level = rateLevel(rate);
  return level ? thresholdColours[level] : undefined;
};
