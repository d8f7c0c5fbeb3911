import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'data/**', 'agent-ui/src/**', 'agent-ui/dist/**'],
    globalSetup: ['test/harness/global-setup.ts'],
    // Files run in parallel; each gets its own database and Redis key prefix (test/harness).
    fileParallelism: true,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Conditions polled in browser and integration tests get time to settle on a busy 2-core machine.
    expect: { poll: { timeout: 10_000, interval: 100 } },
    reporters: ['default', './test/harness/summary-reporter.ts'],
  },
});
