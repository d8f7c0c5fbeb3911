import { describe, expect, it, vi } from 'vitest';
import { Lifecycle } from './lifecycle.ts';
import { createLogger } from './logger.ts';

describe('Lifecycle', () => {
  it('drains before it closes, last registered first; names the step under way and warns of one that is slow', async () => {
    const logger = createLogger({ level: 'silent', pretty: false });
    const warn = vi.spyOn(logger, 'warn');
    const lifecycle = new Lifecycle(logger, 30);
    const order: string[] = [];
    let duringSlow: string | undefined;
    lifecycle.onClose('database', () => void order.push('database'));
    lifecycle.onDrain('http server', () => void order.push('http server'));
    lifecycle.onClose('events', async () => {
      duringSlow = lifecycle.runningStep;
      await new Promise((r) => setTimeout(r, 80));
      order.push('events');
    });
    lifecycle.onDrain('workers', () => void order.push('workers'));
    await lifecycle.stop();
    expect(order).toEqual(['workers', 'http server', 'events', 'database']);
    expect(duringSlow).toBe('events');
    expect(lifecycle.runningStep).toBeUndefined();
    expect(lifecycle.finishedSteps.map((s) => s.name)).toEqual(order);
    expect(lifecycle.finishedSteps.find((s) => s.name === 'events')!.ms).toBeGreaterThanOrEqual(75);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ hook: 'events' }), 'shutdown step is slow');
  });

  it('runs every step even when one fails, then rejects naming it', async () => {
    const lifecycle = new Lifecycle(createLogger({ level: 'silent', pretty: false }));
    const ran: string[] = [];
    lifecycle.onClose('b', () => void ran.push('b'));
    lifecycle.onClose('a', () => {
      throw new Error('boom');
    });
    await expect(lifecycle.stop()).rejects.toThrow('shutdown steps failed: a');
    expect(ran).toEqual(['b']);
  });
});
