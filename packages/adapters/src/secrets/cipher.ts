/**
 * AES-256-GCM over a keyring of named 32-byte keys. A sealed secret is base64 of
 * `nonce (12 random bytes) || ciphertext || tag (16 bytes)`, beside the id of the key that sealed it. The
 * key id and the caller's context (the row the secret belongs to) are the additional authenticated data:
 * changing either, or any byte of the envelope, fails the tag (`Tampered`), so a ciphertext copied into
 * another row or relabelled with another key id never opens.
 *
 * Keys live only in this module's closures: never in an error, a log line, `toString` or JSON.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto"
import {
  type EncryptedSecret,
  encryptedSecretIssue,
  type Json,
  type SecretCipherService,
  SecretError
} from "@ezscale/core"
import { Effect, Redacted } from "effect"

const NONCE_BYTES = 12
const TAG_BYTES = 16
const KEY_BYTES = 32
const keyIdPattern = /^[A-Za-z0-9._-]{1,64}$/
const base64Pattern = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

/** One key of the keyring: its id (1-64 of letters, digits, `.`, `_`, `-`) and 32 bytes as base64. */
export interface SecretKey {
  readonly id: string
  readonly key: Redacted.Redacted<string> | string
}

export interface SecretKeyringConfig {
  /** Every key that may still open a secret: the active one, and the old ones until nothing uses them. */
  readonly keys: ReadonlyArray<SecretKey>
  /** The key new secrets are sealed with. */
  readonly activeKeyId: string
}

const invalidKeyring = (detail: string, keyId?: string) =>
  new SecretError({ reason: "InvalidKeyring", detail, ...(keyId === undefined ? {} : { keyId }) })

/** The keys as buffers, checked: ids well formed and distinct, each exactly 32 bytes, the active one there. */
const keyringOf = (config: SecretKeyringConfig): Effect.Effect<ReadonlyMap<string, Buffer>, SecretError> =>
  Effect.suspend(() => {
    const keys = new Map<string, Buffer>()
    for (const { id, key } of config.keys) {
      if (!keyIdPattern.test(id)) {
        return Effect.fail(invalidKeyring("a key id is 1-64 letters, digits, '.', '_' or '-'"))
      }
      if (keys.has(id)) return Effect.fail(invalidKeyring("the key id is given twice", id))
      const text = (Redacted.isRedacted(key) ? Redacted.value(key) : key).trim()
      const bytes = base64Pattern.test(text) ? Buffer.from(text, "base64") : undefined
      if (bytes === undefined || bytes.length !== KEY_BYTES) {
        return Effect.fail(invalidKeyring("a key is 32 bytes, written in base64 (44 characters)", id))
      }
      keys.set(id, bytes)
    }
    if (!keys.has(config.activeKeyId)) {
      return Effect.fail(invalidKeyring("the active key is not in the keyring", config.activeKeyId))
    }
    return Effect.succeed(keys)
  })

/** What the tag covers beside the ciphertext: the format, the key id and the caller's context. */
const associatedData = (keyId: string, context: string) =>
  Buffer.from(`ezscale-secret/v1\u0000${keyId}\u0000${context}`, "utf8")

/**
 * A `SecretCipherService` over the keyring; `InvalidKeyring` when the config is not usable.
 *
 *   const cipher = yield* makeSecretCipher({
 *     keys: [{ id: "2026-07", key: Redacted.make(newKey) }, { id: "2026-01", key: Redacted.make(oldKey) }],
 *     activeKeyId: "2026-07"
 *   })
 */
export const makeSecretCipher = (
  config: SecretKeyringConfig
): Effect.Effect<SecretCipherService, SecretError> =>
  Effect.map(keyringOf(config), (keys) => {
    const activeKeyId = config.activeKeyId

    const seal = (value: Json, context = ""): Effect.Effect<EncryptedSecret, SecretError> =>
      Effect.suspend(() => {
        let plaintext: string | undefined
        try {
          plaintext = JSON.stringify(value)
        } catch {
          plaintext = undefined
        }
        if (plaintext === undefined) {
          return Effect.fail(new SecretError({ reason: "Malformed", detail: "the value is not JSON" }))
        }
        const key = keys.get(activeKeyId) as Buffer
        const nonce = randomBytes(NONCE_BYTES)
        const cipher = createCipheriv("aes-256-gcm", key, nonce, { authTagLength: TAG_BYTES })
        cipher.setAAD(associatedData(activeKeyId, context))
        const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()])
        const envelope = Buffer.concat([nonce, body, cipher.getAuthTag()])
        return Effect.succeed({ ciphertext: envelope.toString("base64"), keyId: activeKeyId })
      })

    const open = (secret: EncryptedSecret, context = ""): Effect.Effect<Json, SecretError> =>
      Effect.suspend(() => {
        const issue = encryptedSecretIssue(secret)
        if (issue !== undefined) {
          return Effect.fail(new SecretError({ reason: "Malformed", detail: `sealed secrets ${issue}` }))
        }
        const key = keys.get(secret.keyId)
        if (key === undefined) {
          return Effect.fail(
            new SecretError({
              reason: "UnknownKey",
              keyId: secret.keyId,
              detail: "no key with this id in the keyring"
            })
          )
        }
        const envelope = Buffer.from(secret.ciphertext, "base64")
        const nonce = envelope.subarray(0, NONCE_BYTES)
        const tag = envelope.subarray(envelope.length - TAG_BYTES)
        const body = envelope.subarray(NONCE_BYTES, envelope.length - TAG_BYTES)
        let plaintext: string
        try {
          const decipher = createDecipheriv("aes-256-gcm", key, nonce, { authTagLength: TAG_BYTES })
          decipher.setAAD(associatedData(secret.keyId, context))
          decipher.setAuthTag(tag)
          plaintext = Buffer.concat([decipher.update(body), decipher.final()]).toString("utf8")
        } catch {
          return Effect.fail(
            new SecretError({
              reason: "Tampered",
              keyId: secret.keyId,
              detail: "the envelope does not authenticate under its key and context"
            })
          )
        }
        try {
          return Effect.succeed(JSON.parse(plaintext) as Json)
        } catch {
          return Effect.fail(
            new SecretError({ reason: "Malformed", keyId: secret.keyId, detail: "the plaintext is not JSON" })
          )
        }
      })

    const reseal = (secret: EncryptedSecret, context = ""): Effect.Effect<EncryptedSecret, SecretError> =>
      Effect.flatMap(open(secret, context), (value) =>
        secret.keyId === activeKeyId ? Effect.succeed(secret) : seal(value, context)
      )

    const service: SecretCipherService = { activeKeyId, seal, open, reseal }
    return service
  })

/** A new random key, base64 (44 characters): what an operator adds to the keyring to rotate. */
export const generateSecretKey = (): string => randomBytes(KEY_BYTES).toString("base64")
