import { hash, verify } from '@node-rs/argon2'

/** argon2id with the OWASP-recommended minimum (19 MiB, 2 passes, 1 lane). */
// 2 is Algorithm.Argon2id (a const enum, which isolated modules cannot import).
const OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const

export async function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS)
}

/** A hash of a random password: verified against when the user is unknown, so timing tells nothing. */
let decoyHash: Promise<string> | undefined

export async function verifyPassword(storedHash: string | null, password: string): Promise<boolean> {
  if (storedHash === null) {
    decoyHash ??= hashPassword(crypto.randomUUID())
    await verify(await decoyHash, password).catch(() => false)
    return false
  }
  return verify(storedHash, password).catch(() => false)
}
