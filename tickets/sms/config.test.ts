import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../platform/config/load.ts';

const cwd = mkdtempSync(join(tmpdir(), 'sms-config-'));
const problems = (env: Record<string, string>) => {
  try {
    loadConfig({ env, cwd });
    return [];
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
};

describe('SMS gateway settings, validated once at boot', () => {
  it('default to no gateway, with a one-hour receipt timeout', () => {
    expect(loadConfig({ env: {}, cwd }).sms).toMatchObject({ gateway: 'none', receiptTimeoutSeconds: 3600, smppSourceAddr: '12368' });
  });

  it('stop start-up naming each setting a gateway needs, and the fix', () => {
    expect(problems({ SMS_GATEWAY: 'smpp' })).toEqual([
      expect.stringMatching(/sms\.smppUrl.*required when sms.gateway is smpp\. Fix: set SMS_SMPP_URL to/),
      expect.stringMatching(/sms\.smppSystemId.*Fix: set SMS_SMPP_SYSTEM_ID/),
      expect.stringMatching(/sms\.smppPassword.*Fix: set SMS_SMPP_PASSWORD/),
    ]);
    expect(problems({ SMS_GATEWAY: 'https', SMS_HTTPS_URL: 'https://sms.example/api' })).toEqual([expect.stringMatching(/sms\.httpsSecret.*Fix: set SMS_HTTPS_SECRET to the shared secret/)]);
    expect(problems({ SMS_GATEWAY: 'https', SMS_HTTPS_URL: 'http://sms.example/api', SMS_HTTPS_SECRET: 'x'.repeat(16) })).toEqual([expect.stringMatching(/SMS_HTTPS_URL.*must be https/)]);
    expect(problems({ SMS_GATEWAY: 'sms-cat' })).toEqual([expect.stringContaining('Fix: set SMS_GATEWAY to none, smpp or https')]);
    expect(problems({ SMS_GATEWAY: 'smpp', SMS_SMPP_URL: 'smpp://smsc.example:2775', SMS_SMPP_SYSTEM_ID: 'hotline', SMS_SMPP_PASSWORD: 'toolongpassword' })).toEqual([expect.stringContaining('SMS_SMPP_PASSWORD')]);
  });

  it('accept a complete gateway', () => {
    expect(loadConfig({ env: { SMS_GATEWAY: 'smpp', SMS_SMPP_URL: 'smpp://smsc.example:2775', SMS_SMPP_SYSTEM_ID: 'hotline', SMS_SMPP_PASSWORD: 'secret1' }, cwd }).sms.gateway).toBe('smpp');
    expect(loadConfig({ env: { SMS_GATEWAY: 'https', SMS_HTTPS_URL: 'http://127.0.0.1:9000/sms', SMS_HTTPS_SECRET: 'x'.repeat(16) }, cwd }).sms.gateway).toBe('https');
  });
});
