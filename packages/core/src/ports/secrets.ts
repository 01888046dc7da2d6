/**
 * `SecretCipher` — seals secrets (a gateway's API keys, a panel login) before the store keeps them, and
 * opens them again when an adapter needs them. The host provides it (`@ezscale/adapters/secrets`:
 * AES-256-GCM over a keyring of named keys); the store only ever holds the `EncryptedSecret`.
 *
 * Guarantees an implementation must give:
 * - a sealed secret names the key that sealed it (`keyId`); `open` uses that key, so keys rotate: seal
 *   with the active key, open with any key still in the keyring, `reseal` old secrets under the active one;
 * - a secret opens only under the `context` it was sealed with (the row it belongs to, e.g.
 *   `gateway-account:<tenant>:<gateway>`): a ciphertext copied into another row does not open;
 * - any change to the ciphertext or its key id is detected (`Tampered`), never decrypted into garbage;
 * - plaintexts and keys never appear in errors, logs or `toString`.
 */
import { Context, type Effect, Schema } from "effect"
import type { Json } from "./common"
import type { EncryptedSecret } from "./store/services"

export class SecretError extends Schema.TaggedError<SecretError>()("SecretError", {
  /**
   * `UnknownKey`: no key with the secret's key id in the keyring (retired too early, or another
   * deployment's); `Tampered`: the envelope does not authenticate under its key and context (changed,
   * copied from another row, or the key under that id is not the one that sealed it); `Malformed`: not
   * an envelope at all, or a plaintext that is not JSON; `InvalidKeyring`: the keys configured are not
   * usable (not 32 bytes of base64, a repeated id, no active key).
   */
  reason: Schema.Literal("UnknownKey", "Tampered", "Malformed", "InvalidKeyring"),
  keyId: Schema.optionalWith(Schema.String, { exact: true }),
  detail: Schema.String
}) {
  override get message() {
    return `Secret ${this.reason}${this.keyId === undefined ? "" : ` (key ${this.keyId})`}: ${this.detail}`
  }
}

export interface SecretCipherService {
  /** The key new secrets are sealed with. */
  readonly activeKeyId: string
  /** Encrypts `value` (its JSON) with the active key, bound to `context` (default ""). */
  readonly seal: (value: Json, context?: string) => Effect.Effect<EncryptedSecret, SecretError>
  /** Decrypts with the key the secret names; `context` must be the one it was sealed with. */
  readonly open: (secret: EncryptedSecret, context?: string) => Effect.Effect<Json, SecretError>
  /**
   * The secret sealed under the active key (opened and sealed again, same context); a secret already
   * under the active key is returned as it is.
   */
  readonly reseal: (secret: EncryptedSecret, context?: string) => Effect.Effect<EncryptedSecret, SecretError>
}

export class SecretCipher extends Context.Tag("@ezscale/core/SecretCipher")<
  SecretCipher,
  SecretCipherService
>() {}
