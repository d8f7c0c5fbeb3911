/** Where the tickets capability reads the time; tests pass a fake one. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that runs with real time from a chosen instant; tests move it with set(). */
export class OffsetClock implements Clock {
  private offsetMs = 0;
  constructor(start?: Date) {
    if (start) this.set(start);
  }
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  set(instant: Date): void {
    this.offsetMs = instant.getTime() - Date.now();
  }
}
