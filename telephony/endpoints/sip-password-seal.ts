import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

/**
 * SIP passwords: random, sealed for the database, digested for Asterisk. Pure functions; the table is
 * platform/sip-credentials.sql.ts and the reads and writes are sip-credentials.ts.
 */

/** The realm Asterisk challenges with (written into every generated auth section) and the digest is taken over. */
export const sipRealm = 'hotline';

/** A new password: 18 random bytes (144 bits), 24 characters of base64url, nothing to do with the endpoint's name. */
export function newSipPassword(): string {
  return randomBytes(18).toString('base64url');
}

/** A sealing key for one purpose, from the deployment's secret (HOTLINE_SIP_PASSWORD_SECRET), which is never in the database. */
function sealKey(secret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'hotline-12368', purpose, 32));
}

/** AES-256-GCM under the purpose's key with `bound` as associated data: the sealed text opens only for that name. */
export function sealSecretText(secret: string, purpose: string, bound: string, text: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealKey(secret, purpose), iv);
  cipher.setAAD(Buffer.from(bound));
  const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
}

/** The clear text; throws when the secret is not the one it was sealed with, or the row was altered or moved. */
export function openSecretText(secret: string, purpose: string, bound: string, sealed: string): string {
  const [version, iv, tag, body] = sealed.split('.');
  if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error(`the sealed value of ${bound} is not in the v1 format`);
  const decipher = createDecipheriv('aes-256-gcm', sealKey(secret, purpose), Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(bound));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}

const sipPurpose = 'sip-password-seal/v1';

/** AES-256-GCM with the endpoint as associated data: the sealed text opens only for that endpoint. */
export function sealSipPassword(secret: string, endpoint: string, password: string): string {
  return sealSecretText(secret, sipPurpose, endpoint, password);
}

/** The clear password; throws when the secret is not the one it was sealed with, or the row was altered or moved. */
export function openSipPassword(secret: string, endpoint: string, sealed: string): string {
  return openSecretText(secret, sipPurpose, endpoint, sealed);
}

/** What Asterisk stores instead of the password: `password_digest = MD5:<md5(username:realm:password)>`. */
export function sipPasswordDigest(endpoint: string, password: string, realm = sipRealm): string {
  return `MD5:${createHash('md5').update(`${endpoint}:${realm}:${password}`).digest('hex')}`;
}
