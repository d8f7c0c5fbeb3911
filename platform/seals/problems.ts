/** One finding of verify: the record it names (table and key) and what is wrong with it. */
export interface SealProblem {
  record: string;
  problem: string;
}

/** Collects findings up to a limit (a wholesale rewrite would otherwise list every row). */
export class Findings {
  readonly list: SealProblem[] = [];
  dropped = 0;
  constructor(private readonly limit = 100) {}
  add(record: string, problem: string): void {
    if (this.list.length < this.limit) this.list.push({ record, problem });
    else this.dropped++;
  }
  get ok(): boolean {
    return this.list.length === 0;
  }
}
