import { resolve } from 'node:path';
import { serviceOf, type Deps } from '../../platform/deps.ts';
import type { ApiApp } from '../../platform/http/schemas.ts';
import { registerEndpointsRoutes } from './endpoints.routes.ts';
import { registerSipPasswordRoutes } from './sip-password.routes.ts';

/** The endpoints' routes in the api role: SIP password rotation and the SIP endpoints page (TELEPHONY_ASTERISK_CONFIG_DIR). */
export function registerEndpointsApi(app: ApiApp, deps: Deps): void {
  const secret = deps.config.console.sipPasswordSecret;
  const audit = serviceOf(deps, 'audit');
  registerSipPasswordRoutes(app, { db: deps.db, secret, audit });
  registerEndpointsRoutes(app, { db: deps.db, secret, dir: resolve(deps.config.telephony.asteriskConfigDir), ari: deps.config.ari, audit });
}
