/**
 * The AES-256-GCM cipher: round trips, tampering of every part of an envelope, a secret moved to another
 * row (context), rotation to a new key, keys that are not there or not the ones that sealed, bad keyrings,
 * and that neither keys nor plaintexts leak into errors or the service's printed form.
 */
import { inspect } from "node:util"
import { describe, expect, it } from "@effect/vitest"
import {
  type EncryptedSecret,
  encryptedSecretIssue,
  errorCode,
  SecretCipher,
  SecretError
} from "@ezscale/core"
import { ConfigProvider, Effect, Layer, Redacted } from "effect"
import { generateSecretKey, makeSecretCipher, parseSecretKeys, SecretCipherLive } from "./index"

const oldKey = generateSecretKey()
const newKey = generateSecretKey()
const credentials = { secretKey: "sk_live_51Hplaintext", webhookSecrets: ["whsec_abc", "whsec_old"], n: 42 }
const context = "gateway-account:tenant-a:stripe"

const cipherWith = (keys: ReadonlyArray<readonly [string, string]>, activeKeyId: string) =>
  makeSecretCipher({ keys: keys.map(([id, key]) => ({ id, key: Redacted.make(key) })), activeKeyId })

/** The envelope's bytes with one changed. */
const flipByte = (secret: EncryptedSecret, index: number): EncryptedSecret => {
  const bytes = Buffer.from(secret.ciphertext, "base64")
  const at = index < 0 ? bytes.length + index : index
  bytes[at] = (bytes[at] ?? 0) ^ 0x01
  return { ...secret, ciphertext: bytes.toString("base64") }
}

describe("makeSecretCipher", () => {
  it.effect("seals JSON into an envelope the store accepts, and opens it back exactly", () =>
    Effect.gen(function* () {
      const cipher = yield* cipherWith([["2026-01", oldKey]], "2026-01")
      const sealed = yield* cipher.seal(credentials, context)
      expect(sealed.keyId).toBe("2026-01")
      expect(encryptedSecretIssue(sealed)).toBeUndefined()
      expect(sealed.ciphertext).not.toContain("sk_live")
      expect(Buffer.from(sealed.ciphertext, "base64").toString("latin1")).not.toContain("sk_live")
      expect(yield* cipher.open(sealed, context)).toEqual(credentials)
      // a fresh nonce each time: the same value never seals to the same envelope
      const again = yield* cipher.seal(credentials, context)
      expect(again.ciphertext).not.toBe(sealed.ciphertext)
      expect(yield* cipher.open(again, context)).toEqual(credentials)
      // the smallest JSON values too
      for (const value of [0, "", null, [], {}, "ünïcødé ✓"]) {
        expect(yield* cipher.open(yield* cipher.seal(value))).toEqual(value)
      }
    })
  )

  it.effect("any changed byte (nonce, body, tag), key id or context is Tampered", () =>
    Effect.gen(function* () {
      const cipher = yield* cipherWith(
        [
          ["2026-01", oldKey],
          ["2026-07", newKey]
        ],
        "2026-01"
      )
      const sealed = yield* cipher.seal(credentials, context)
      const length = Buffer.from(sealed.ciphertext, "base64").length
      const tampered: ReadonlyArray<readonly [EncryptedSecret, string]> = [
        [flipByte(sealed, 0), context],
        [flipByte(sealed, 11), context],
        [flipByte(sealed, 12), context],
        [flipByte(sealed, Math.floor(length / 2)), context],
        [flipByte(sealed, -1), context],
        [flipByte(sealed, -16), context],
        // relabelled with another key of the keyring
        [{ ...sealed, keyId: "2026-07" }, context],
        // copied into another tenant's row, or another gateway's
        [sealed, "gateway-account:tenant-b:stripe"],
        [sealed, "gateway-account:tenant-a:paypal"],
        [sealed, ""],
        // truncated (still base64 of an envelope's size)
        [
          {
            ...sealed,
            ciphertext: Buffer.from(sealed.ciphertext, "base64").subarray(0, 40).toString("base64")
          },
          context
        ]
      ]
      for (const [secret, where] of tampered) {
        const error = yield* Effect.flip(cipher.open(secret, where))
        expect(error).toBeInstanceOf(SecretError)
        expect(error.reason).toBe("Tampered")
        expect(errorCode(error)).toBe("SECRET_ERROR")
      }
      expect(yield* cipher.open(sealed, context)).toEqual(credentials)
    })
  )

  it.effect("a key id not in the keyring is UnknownKey; the wrong key under the right id is Tampered", () =>
    Effect.gen(function* () {
      const sealer = yield* cipherWith([["2026-01", oldKey]], "2026-01")
      const sealed = yield* sealer.seal(credentials, context)
      const elsewhere = yield* cipherWith([["2026-07", newKey]], "2026-07")
      const unknown = yield* Effect.flip(elsewhere.open(sealed, context))
      expect(unknown).toMatchObject({ _tag: "SecretError", reason: "UnknownKey", keyId: "2026-01" })
      const impostor = yield* cipherWith([["2026-01", newKey]], "2026-01")
      expect(yield* Effect.flip(impostor.open(sealed, context))).toMatchObject({
        reason: "Tampered",
        keyId: "2026-01"
      })
      // not an envelope at all
      expect(
        yield* Effect.flip(sealer.open({ ciphertext: "sk_live_plaintext", keyId: "2026-01" }, context))
      ).toMatchObject({ reason: "Malformed" })
    })
  )

  it.effect(
    "rotation: a new active key seals, old secrets still open, reseal moves them to the new key",
    () =>
      Effect.gen(function* () {
        const before = yield* cipherWith([["2026-01", oldKey]], "2026-01")
        const sealedOld = yield* before.seal(credentials, context)
        // step 1: the new key joins and becomes active; the old one stays to open what it sealed
        const during = yield* cipherWith(
          [
            ["2026-07", newKey],
            ["2026-01", oldKey]
          ],
          "2026-07"
        )
        expect(during.activeKeyId).toBe("2026-07")
        expect(yield* during.open(sealedOld, context)).toEqual(credentials)
        expect((yield* during.seal({ fresh: true })).keyId).toBe("2026-07")
        // step 2: reseal; a secret already under the active key is returned as it is
        const resealed = yield* during.reseal(sealedOld, context)
        expect(resealed.keyId).toBe("2026-07")
        expect(yield* during.reseal(resealed, context)).toBe(resealed)
        // a reseal under the wrong context is refused, not rewritten
        expect((yield* Effect.flip(during.reseal(sealedOld, "elsewhere"))).reason).toBe("Tampered")
        // step 3: the old key leaves; what was resealed opens, what was not does not
        const after = yield* cipherWith([["2026-07", newKey]], "2026-07")
        expect(yield* after.open(resealed, context)).toEqual(credentials)
        expect((yield* Effect.flip(after.open(sealedOld, context))).reason).toBe("UnknownKey")
      })
  )

  it.effect("a keyring that cannot work is InvalidKeyring, and never shows a key", () =>
    Effect.gen(function* () {
      const short = Buffer.alloc(16, 7).toString("base64")
      const refused: ReadonlyArray<Parameters<typeof cipherWith>> = [
        [[["2026-01", short]], "2026-01"],
        [[["2026-01", `${oldKey.slice(0, -2)}!=`]], "2026-01"],
        [[["2026-01", "not base64 at all, just words"]], "2026-01"],
        [
          [
            ["2026-01", oldKey],
            ["2026-01", newKey]
          ],
          "2026-01"
        ],
        [[["bad id with spaces", oldKey]], "bad id with spaces"],
        [[["2026-01", oldKey]], "2026-07"],
        [[], "2026-01"]
      ]
      for (const [keys, active] of refused) {
        const error = yield* Effect.flip(cipherWith(keys, active))
        expect(error.reason).toBe("InvalidKeyring")
        for (const [, key] of keys) expect(`${error.message} ${JSON.stringify(error)}`).not.toContain(key)
      }
    })
  )

  it.effect("neither keys nor plaintexts show in the service, its errors, or its printed form", () =>
    Effect.gen(function* () {
      const cipher = yield* cipherWith([["2026-01", oldKey]], "2026-01")
      const printed = `${String(cipher)} ${JSON.stringify(cipher)} ${inspect(cipher, { depth: 10, showHidden: true })}`
      expect(printed).not.toContain(oldKey)
      expect(printed).not.toContain(Buffer.from(oldKey, "base64").toString("hex"))
      const sealed = yield* cipher.seal(credentials, context)
      const error = yield* Effect.flip(cipher.open(flipByte(sealed, 20), context))
      const shown = `${error.message} ${JSON.stringify(error)} ${inspect(error)}`
      expect(shown).not.toContain("sk_live")
      expect(shown).not.toContain(oldKey)
    })
  )
})

describe("SecretCipherLive.layerConfig", () => {
  it.effect("reads `id:base64,...` and the active id from config", () =>
    Effect.gen(function* () {
      const sealed = yield* Effect.flatMap(SecretCipher, (cipher) => cipher.seal(credentials, context)).pipe(
        Effect.provide(
          SecretCipherLive.layerConfig().pipe(
            Layer.provide(
              Layer.setConfigProvider(
                ConfigProvider.fromMap(
                  new Map([
                    ["EZSCALE_SECRET_KEYS", ` 2026-07:${newKey} ,\n 2026-01:${oldKey}`],
                    ["EZSCALE_SECRET_ACTIVE_KEY", "2026-07"]
                  ])
                )
              )
            )
          )
        )
      )
      expect(sealed.keyId).toBe("2026-07")
      const reader = yield* cipherWith([["2026-07", newKey]], "2026-07")
      expect(yield* reader.open(sealed, context)).toEqual(credentials)
    })
  )

  it.effect("a malformed entry is InvalidKeyring naming its position only", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(parseSecretKeys(Redacted.make(`2026-01:${oldKey},${newKey}`)))
      expect(error).toMatchObject({ reason: "InvalidKeyring", detail: "key entry 2 is not <id>:<base64>" })
      expect(error.message).not.toContain(newKey)
    })
  )
})
