import { existsSync } from 'node:fs';
import type { Config } from '../../platform/config/schema.ts';
import type { Logger } from '../../platform/logger.ts';
import type { SmsSender } from '../ports.ts';
import { httpsSender } from './https-sender.ts';
import { smppSender } from './smpp-sender.ts';

/** The SMS gateway the configuration names (validated at boot), or undefined for `none`. */
export function createSmsGateway(config: Config['sms'], logger: Logger): SmsSender | undefined {
  if (config.gateway === 'smpp') {
    return smppSender({ url: config.smppUrl!, systemId: config.smppSystemId!, password: config.smppPassword!, sourceAddr: config.smppSourceAddr }, logger);
  }
  if (config.gateway === 'https') {
    if (config.httpsCaFile && !existsSync(config.httpsCaFile)) {
      throw new Error(`SMS_HTTPS_CA_FILE="${config.httpsCaFile}": no such file. Fix: set SMS_HTTPS_CA_FILE to the PEM file of the gateway certificate's CA, or unset it.`);
    }
    return httpsSender({ url: config.httpsUrl!, secret: config.httpsSecret!, caFile: config.httpsCaFile }, logger);
  }
  return undefined;
}
