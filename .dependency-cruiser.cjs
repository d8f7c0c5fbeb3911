/**
 * The import check (`npm test` runs it first): the layers of DESIGN.md, which folder may import which.
 *
 *   platform/                      shared infrastructure: imports no other folder of the product
 *     ↑
 *   telephony/  tickets/  kpi/     capabilities: platform/ (and, where a port or service will not do, another
 *     ↑                            capability's shared vocabulary); never api/ or agent-ui/
 *   api/   agent-ui/server/        composition of the capabilities' routes and events (api/), the console's
 *     ↑                            small server part (asks capabilities through deps.services, imports only platform/)
 *   hotline.ts, main.ts, *.ts      the composition root and the commands at the top
 *
 *   agent-ui/src/                  the browser: reaches the server only over HTTP and the websocket
 *
 * Production code (everything but tests, test helpers and benchmarks) never imports the ARI stand-in
 * (telephony/ari-sim/) or a test helper; no file takes part in a circle of imports.
 * docs/development.md ("Layers") explains each rule.
 */

/** Tests, their helpers (under a test/ or testing/ folder), benchmarks, and vitest's own configuration. */
const testCode = ['\\.test\\.tsx?$', '(^|/)(test|testing)/', '^bench/', '^vitest\\.config\\.ts$'];
const ariStandIn = '^telephony/ari-sim/';
const capabilities = '^(telephony|tickets|kpi)/';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No file takes part in a circle of imports (type-only imports count too): shared parts go to a module both use.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'platform-imports-no-product-folder',
      comment: 'platform/ is the bottom layer: it imports no capability, api/ or agent-ui/.',
      severity: 'error',
      from: { path: '^platform/', pathNot: testCode },
      to: { path: '^(telephony|tickets|kpi|api|agent-ui)/' },
    },
    {
      name: 'capability-not-on-api-or-console',
      comment: 'A capability stands on platform/ (HTTP helpers, error bodies, the event bus and its typing), never on api/ or agent-ui/.',
      severity: 'error',
      from: { path: capabilities, pathNot: testCode },
      to: { path: '^(api|agent-ui)/' },
    },
    {
      name: 'server-not-on-console',
      comment: 'Nothing on the server side imports agent-ui/ (the composition root alone registers its server part).',
      severity: 'error',
      from: { path: '^(platform|telephony|tickets|kpi|api)/', pathNot: testCode },
      to: { path: '^agent-ui/' },
    },
    {
      name: 'console-server-asks-services',
      comment: "agent-ui/server asks the capabilities through deps.services: it imports platform/ only, no capability's or api's code.",
      severity: 'error',
      from: { path: '^agent-ui/server/', pathNot: testCode },
      to: { path: '^(telephony|tickets|kpi|api)/' },
    },
    {
      name: 'browser-over-http',
      comment: "agent-ui/src reaches the server only over HTTP and the websocket; it shares only the tickets' pure vocabulary.",
      severity: 'error',
      from: { path: '^agent-ui/src/' },
      to: { pathNot: ['^agent-ui/src/', '(^|/)node_modules/', '^tickets/(vocabulary|case-number)\\.ts$'], dependencyTypesNot: ['core'] },
    },
    {
      name: 'production-not-on-ari-stand-in',
      comment: 'Production code never imports the ARI stand-in (telephony/ari-sim/): tests, their helpers and the demo (demo.ts) do.',
      severity: 'error',
      from: { pathNot: [...testCode, ariStandIn, '^demo\\.ts$'] },
      to: { path: ariStandIn },
    },
    {
      name: 'test-helpers-in-test-folders',
      comment: 'A file that uses vitest is a test or a test helper: it is named *.test.ts, or lives under a test/ or testing/ folder.',
      severity: 'error',
      from: { pathNot: [...testCode, ariStandIn] },
      to: { path: '(^|/)node_modules/(vitest|@vitest)/' },
    },
    {
      name: 'production-not-on-test-helpers',
      comment: 'Production code never imports a test, a test helper (beside the tests, or under test/ or testing/) or a benchmark.',
      severity: 'error',
      from: { pathNot: [...testCode, ariStandIn] },
      to: { path: testCode },
    },
  ],
  options: {
    doNotFollow: { path: '(^|/)node_modules/' },
    exclude: { path: '^(node_modules|data|dist|agent-ui/dist|test-artifacts|asterisk-config|docs)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    // Type-only imports count: a circle of types is a circle.
    tsPreCompilationDeps: true,
    cache: { folder: 'node_modules/.cache/dependency-cruiser', strategy: 'content' },
  },
};
