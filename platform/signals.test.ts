import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { Lifecycle } from './lifecycle.ts';
import { createLogger } from './logger.ts';
import { exitOnSignals } from './signals.ts';

const logger = createLogger({ level: 'silent', pretty: false });

function harness(stop: () => Promise<void>, timeoutMs = 5000) {
  const target = new EventEmitter();
  const exits: number[] = [];
  let exited: (code: number) => void = () => undefined;
  const exitedOnce = new Promise<number>((resolve) => (exited = resolve));
  exitOnSignals({ stop, logger, timeoutMs, target: target as unknown as NodeJS.Process, exit: (code) => (exits.push(code), exited(code)) });
  return { target, exits, exitedOnce };
}

describe('exitOnSignals', () => {
  it.each(['SIGTERM', 'SIGINT'])('%s stops gracefully, then exits 0', async (signal) => {
    const stop = vi.fn(async () => undefined);
    const { target, exitedOnce } = harness(stop);
    target.emit(signal, signal);
    expect(await exitedOnce).toBe(0);
    expect(stop).toHaveBeenCalledOnce();
  });

  it('a second signal exits at once with 130, without waiting for the stop', async () => {
    const { target, exits } = harness(() => new Promise(() => undefined));
    target.emit('SIGTERM', 'SIGTERM');
    expect(exits).toEqual([]);
    target.emit('SIGINT', 'SIGINT');
    expect(exits).toEqual([130]);
  });

  it('exits 1 when a shutdown step fails', async () => {
    const { target, exitedOnce } = harness(async () => Promise.reject(new Error('db close failed')));
    target.emit('SIGTERM', 'SIGTERM');
    expect(await exitedOnce).toBe(1);
  });

  it('exits 1 when work in hand outlasts the timeout', async () => {
    const { target, exitedOnce } = harness(() => new Promise(() => undefined), 50);
    target.emit('SIGTERM', 'SIGTERM');
    expect(await exitedOnce).toBe(1);
  });
});

describe('Lifecycle', () => {
  it('drains before closing, each phase last-registered first, and runs every hook even after a failure', async () => {
    const order: string[] = [];
    const lifecycle = new Lifecycle(logger);
    lifecycle.onClose('redis', () => void order.push('close redis'));
    lifecycle.onClose('database', () => {
      order.push('close database');
      throw new Error('boom');
    });
    lifecycle.onDrain('http', () => void order.push('drain http'));
    lifecycle.onDrain('workers', () => void order.push('drain workers'));
    expect(lifecycle.isStopping).toBe(false);
    await expect(lifecycle.stop()).rejects.toThrow('shutdown steps failed: database');
    expect(lifecycle.isStopping).toBe(true);
    expect(order).toEqual(['drain workers', 'drain http', 'close database', 'close redis']);
    await expect(lifecycle.stop()).rejects.toThrow(); // the same outcome; hooks do not run twice
    expect(order).toHaveLength(4);
  });
});
