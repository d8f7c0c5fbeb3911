import { hash, verify } from '@node-rs/argon2';

/** argon2id with the library's defaults (m=19 MiB, t=2, p=1: OWASP's recommended minimum). */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

// Verified against when the username is unknown, so a miss costs as long as a wrong password.
const decoyHash = '$argon2id$v=19$m=19456,t=2,p=1$lSPaj2+R9A2zokINnHy+gA$8ywqtqNFcFHrCHfwkbnIfRAaWp1pfwGdOjEv7ldcTpc';

export async function verifyPassword(passwordHash: string | undefined, password: string): Promise<boolean> {
  try {
    const ok = await verify(passwordHash ?? decoyHash, password);
    return ok && passwordHash !== undefined;
  } catch {
    return false;
  }
}

/** Passwords an admin may set: long enough, not absurdly long (argon2 input is bounded anyway). */
export const passwordRules = { min: 10, max: 256 } as const;
