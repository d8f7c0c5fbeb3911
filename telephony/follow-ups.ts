/**
 * Per call (or callback attempt): the outcomes of the step in progress (a bridge joined or not), taken right after it
 * and before the next input in the call's queue, so that an event heard meanwhile cannot overtake them.
 */
export class FollowUps<Input> {
  private readonly waiting = new Map<string, Input[]>();

  add(id: string, input: Input): void {
    this.waiting.set(id, [...(this.waiting.get(id) ?? []), input]);
  }

  /** Runs the inputs waiting for `id` one at a time, in order, with any a run adds meanwhile. */
  async take(id: string, run: (input: Input) => Promise<void>): Promise<void> {
    for (let next = this.waiting.get(id); next?.length; next = this.waiting.get(id)) {
      this.waiting.set(id, next.slice(1));
      await run(next[0]!);
    }
    this.waiting.delete(id);
  }

  forget(id: string): void {
    this.waiting.delete(id);
  }

  clear(): void {
    this.waiting.clear();
  }
}
