import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    exclude: ['node_modules/**', 'data/**', 'agent-ui/src/**', 'agent-ui/dist/**'],
    globalSetup: ['test/harness/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Conditions polled in browser and integration tests get time to settle on a busy 2-core machine.
    expect: { poll: { timeout: 10_000, interval: 100 } },
    reporters: ['default', './test/harness/summary-reporter.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'main',
          include: ['**/*.test.ts'],
          exclude: ['test/asterisk/**'],
          // Files run in parallel; each gets its own database and Redis key prefix (test/harness).
          fileParallelism: true,
          sequence: { groupOrder: 0 },
        },
      },
      {
        // Real Asterisk, Kamailio and sipp with audio timed in real time: one file at a time, after every other file
        // has finished, so no other test file competes with them for the CPU (CI has 2 cores).
        extends: true,
        test: {
          name: 'asterisk',
          include: ['test/asterisk/**/*.test.ts'],
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
