/**
 * The fake's signing identity: an RSA key pair and a self-signed X.509 certificate for it, built here in
 * DER (Node can parse certificates but not make them). PayPal signs each webhook delivery with its key
 * and names the certificate's URL in `PAYPAL-CERT-URL`; the fake does the same from its loopback URL.
 */
import { createPrivateKey, generateKeyPairSync, type KeyObject, randomBytes, sign } from "node:crypto"

const tagged = (tag: number, content: Buffer): Buffer => {
  const length = content.length
  if (length < 0x80) return Buffer.concat([Buffer.from([tag, length]), content])
  const bytes: Array<number> = []
  for (let rest = length; rest > 0; rest >>= 8) bytes.unshift(rest & 0xff)
  return Buffer.concat([Buffer.from([tag, 0x80 | bytes.length, ...bytes]), content])
}

const sequence = (...items: ReadonlyArray<Buffer>) => tagged(0x30, Buffer.concat(items))
const set = (...items: ReadonlyArray<Buffer>) => tagged(0x31, Buffer.concat(items))
const nullValue = Buffer.from([0x05, 0x00])

const oid = (dotted: string): Buffer => {
  const [first = 0, second = 0, ...rest] = dotted.split(".").map(Number)
  const bytes = [first * 40 + second]
  for (const arc of rest) {
    const chunk: Array<number> = [arc & 0x7f]
    for (let value = arc >> 7; value > 0; value >>= 7) chunk.unshift((value & 0x7f) | 0x80)
    bytes.push(...chunk)
  }
  return tagged(0x06, Buffer.from(bytes))
}

/** A DER INTEGER read as unsigned: minimal (no leading zero bytes), a zero byte only before a high bit. */
export const positiveInteger = (bytes: Buffer): Buffer => {
  let start = 0
  while (start < bytes.length - 1 && bytes[start] === 0) start++
  const digits = bytes.subarray(start)
  return tagged(0x02, (digits[0] ?? 0) >= 0x80 ? Buffer.concat([Buffer.from([0]), digits]) : digits)
}

const utcTime = (date: Date): Buffer => {
  const two = (n: number) => String(n).padStart(2, "0")
  const text = `${two(date.getUTCFullYear() % 100)}${two(date.getUTCMonth() + 1)}${two(date.getUTCDate())}${two(date.getUTCHours())}${two(date.getUTCMinutes())}${two(date.getUTCSeconds())}Z`
  return tagged(0x17, Buffer.from(text, "ascii"))
}

const commonName = (name: string) =>
  sequence(set(sequence(oid("2.5.4.3"), tagged(0x0c, Buffer.from(name, "utf8")))))

const sha256WithRsa = sequence(oid("1.2.840.113549.1.1.11"), nullValue)

export interface SigningIdentity {
  readonly privateKey: KeyObject
  /** PEM, as PayPal serves it from the certificate URL. */
  readonly certificatePem: string
}

/** A fresh 2048-bit RSA key and a certificate for it, valid from a day ago for ten years. */
export const makeSigningIdentity = (subject = "fake.paypal.test"): SigningIdentity => {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 })
  const now = Date.now()
  const tbs = sequence(
    tagged(0xa0, positiveInteger(Buffer.from([2]))),
    positiveInteger(randomBytes(12)),
    sha256WithRsa,
    commonName(subject),
    sequence(utcTime(new Date(now - 86_400_000)), utcTime(new Date(now + 10 * 365 * 86_400_000))),
    commonName(subject),
    publicKey.export({ type: "spki", format: "der" })
  )
  const signature = sign("sha256", tbs, privateKey)
  const der = sequence(tbs, sha256WithRsa, tagged(0x03, Buffer.concat([Buffer.from([0]), signature])))
  const base64 = der.toString("base64").replace(/(.{64})/g, "$1\n")
  return {
    privateKey: createPrivateKey(privateKey.export({ type: "pkcs8", format: "pem" })),
    certificatePem: `-----BEGIN CERTIFICATE-----\n${base64.trimEnd()}\n-----END CERTIFICATE-----\n`
  }
}
