/**
 * Child of heap-growth.test.ts, run with --expose-gc --trace-gc-verbose: sets the growth from argv[2] as a
 * telephony process does, then runs one full collection, whose new old-generation limit V8 prints with its factor.
 */
import { applyHeapGrowth } from '../heap-growth.ts';
import { createLogger } from '../../logger.ts';

const keep: unknown[] = [];
for (let i = 0; i < 100_000; i++) keep.push({ i, list: [i] });
applyHeapGrowth(Number(process.argv[2]), createLogger({ level: 'silent', pretty: false }));
console.log('APPLIED');
(globalThis as { gc?: () => void }).gc!();
console.log('KEPT', keep.length);
