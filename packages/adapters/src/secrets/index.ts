/**
 * `@ezscale/adapters/secrets` — the `SecretCipher` port: AES-256-GCM (node:crypto) over a keyring of
 * named 32-byte keys. New secrets are sealed with the active key; any key still in the keyring opens the
 * secrets it sealed, so keys rotate: add a new key, make it active, `reseal` what the old one sealed,
 * then drop the old key.
 *
 *   // EZSCALE_SECRET_KEYS="2026-07:<base64>,2026-01:<base64>"  EZSCALE_SECRET_ACTIVE_KEY="2026-07"
 *   const SecretsLive = SecretCipherLive.layerConfig()
 *
 * Keys are read as `Redacted` config and never logged; `generateSecretKey()` makes a new one.
 */
import { SecretCipher, type SecretCipherService, SecretError } from "@ezscale/core"
import { Config, type ConfigError, Effect, Layer, Redacted } from "effect"
import { makeSecretCipher, type SecretKey, type SecretKeyringConfig } from "./cipher"

export { generateSecretKey, makeSecretCipher, type SecretKey, type SecretKeyringConfig } from "./cipher"

/** The config names `secretKeyringConfig` reads by default. */
export const secretConfigNames = {
  keys: "EZSCALE_SECRET_KEYS",
  activeKeyId: "EZSCALE_SECRET_ACTIVE_KEY"
} as const

/**
 * Parses `id:base64,id:base64` (spaces and newlines around entries allowed) into keys; the values stay
 * `Redacted`. A malformed entry is `InvalidKeyring`, naming its position, never its text.
 */
export const parseSecretKeys = (
  text: Redacted.Redacted<string>
): Effect.Effect<ReadonlyArray<SecretKey>, SecretError> =>
  Effect.suspend(() => {
    const entries = Redacted.value(text)
      .split(",")
      .map((entry) => entry.trim())
      .filter((entry) => entry !== "")
    const keys: Array<SecretKey> = []
    for (const [index, entry] of entries.entries()) {
      const colon = entry.indexOf(":")
      if (colon <= 0) {
        return Effect.fail(
          new SecretError({ reason: "InvalidKeyring", detail: `key entry ${index + 1} is not <id>:<base64>` })
        )
      }
      keys.push({ id: entry.slice(0, colon).trim(), key: Redacted.make(entry.slice(colon + 1).trim()) })
    }
    return Effect.succeed(keys)
  })

/** The keyring from Effect `Config` (environment by default): the keys redacted, the active key's id. */
export const secretKeyringConfig = (
  names: { readonly keys: string; readonly activeKeyId: string } = secretConfigNames
): Config.Config<{ readonly keys: Redacted.Redacted<string>; readonly activeKeyId: string }> =>
  Config.all({ keys: Config.redacted(names.keys), activeKeyId: Config.string(names.activeKeyId) })

export const SecretCipherLive = {
  make: makeSecretCipher,
  layer: (config: SecretKeyringConfig): Layer.Layer<SecretCipher, SecretError> =>
    Layer.effect(SecretCipher, makeSecretCipher(config)),
  /** The cipher from config (`EZSCALE_SECRET_KEYS`, `EZSCALE_SECRET_ACTIVE_KEY` unless named otherwise). */
  layerConfig: (
    names?: Parameters<typeof secretKeyringConfig>[0]
  ): Layer.Layer<SecretCipher, SecretError | ConfigError.ConfigError> =>
    Layer.effect(
      SecretCipher,
      Effect.gen(function* () {
        const config = yield* secretKeyringConfig(names)
        const keys = yield* parseSecretKeys(config.keys)
        return yield* makeSecretCipher({ keys, activeKeyId: config.activeKeyId })
      })
    )
} as const

export type { SecretCipherService }
