/** Process entry: `npm start`. Loads config, starts the hotline, stops it gracefully on SIGTERM/SIGINT. */
import { startHotline } from './hotline.ts';
import { ConfigError, loadConfig } from './platform/config/load.ts';
import type { Config } from './platform/config/schema.ts';
import { createLogger } from './platform/logger.ts';
import { exitOnSignals } from './platform/signals.ts';

let config: Config;
try {
  config = loadConfig();
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(err.message);
  process.exit(1);
}

const logger = createLogger(config.log);
try {
  const hotline = await startHotline(config, logger);
  exitOnSignals({ stop: hotline.stop, logger, timeoutMs: config.shutdown.timeoutMs });
} catch (err) {
  const message = err instanceof Error ? err.message : String(err);
  logger.fatal({ err }, 'the hotline could not start');
  console.error(`The hotline could not start: ${message}`);
  process.exit(1);
}
