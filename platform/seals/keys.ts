import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The seal key: Ed25519, its private half in a file outside the database (named in the configuration), so someone
 * with full database access cannot seal what they rewrote. Verification needs only the public half.
 */
export class SealSigner {
  readonly keyId: string;
  readonly verifier: SealVerifier;
  constructor(private readonly privateKey: KeyObject) {
    this.verifier = new SealVerifier(createPublicKey(privateKey));
    this.keyId = this.verifier.keyId;
  }
  /** Base64 Ed25519 signature over the text. */
  sign(text: string): string {
    return sign(null, Buffer.from(text), this.privateKey).toString('base64');
  }
}

export class SealVerifier {
  readonly keyId: string;
  constructor(readonly publicKey: KeyObject) {
    this.keyId = keyIdOf(publicKey);
  }
  verify(text: string, signature: string | null | undefined): boolean {
    if (!signature) return false;
    try {
      return verify(null, Buffer.from(text), this.publicKey, Buffer.from(signature, 'base64'));
    } catch {
      return false;
    }
  }
}

/** A short name for a public key: the first 16 hex digits of the sha256 of its DER form. */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
}

/** Reads a PEM Ed25519 private key (PKCS#8); throws a message that names the file and the fix. */
export function readSigner(file: string): SealSigner {
  let key: KeyObject;
  try {
    key = createPrivateKey(readFileSync(file));
  } catch (err) {
    throw new Error(`seal key ${file} cannot be read as a PEM private key (${(err as Error).message}); create one with: openssl genpkey -algorithm ed25519 -out ${file}`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`seal key ${file} is ${key.asymmetricKeyType}, not ed25519; create one with: openssl genpkey -algorithm ed25519 -out ${file}`);
  return new SealSigner(key);
}

/** Reads a public key (PEM SPKI), or the public half of a private key file. */
export function readVerifier(file: string): SealVerifier {
  const text = readFileSync(file);
  try {
    return new SealVerifier(createPublicKey(text));
  } catch (err) {
    throw new Error(`seal public key ${file} cannot be read as a PEM key (${(err as Error).message})`);
  }
}

/** Writes a new Ed25519 key pair: the private key (mode 0600) and `<file>.pub` beside it. */
export function generateKeyFile(file: string): SealSigner {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  writeFileSync(`${file}.pub`, publicKey.export({ type: 'spki', format: 'pem' }));
  return new SealSigner(privateKey);
}

export function keyFileExists(file: string): boolean {
  return existsSync(file);
}
