import { X509Certificate } from "node:crypto"
import { describe, expect, it } from "vitest"
import { makeSigningIdentity, positiveInteger } from "./certificate"

describe("the fake's certificate", () => {
  it("encodes serial numbers as minimal DER integers (a random serial may start with zero bytes)", () => {
    expect(positiveInteger(Buffer.from([0x00, 0x00, 0x12]))).toEqual(Buffer.from([0x02, 0x01, 0x12]))
    expect(positiveInteger(Buffer.from([0x00, 0x85]))).toEqual(Buffer.from([0x02, 0x02, 0x00, 0x85]))
    expect(positiveInteger(Buffer.from([0x85, 0x01]))).toEqual(Buffer.from([0x02, 0x03, 0x00, 0x85, 0x01]))
    expect(positiveInteger(Buffer.from([0x00]))).toEqual(Buffer.from([0x02, 0x01, 0x00]))
  })

  it("is a self-signed X.509 certificate Node can read", () => {
    const certificate = new X509Certificate(makeSigningIdentity("fake.paypal.test").certificatePem)
    expect(certificate.subject).toBe("CN=fake.paypal.test")
    expect(certificate.verify(certificate.publicKey)).toBe(true)
  })
})
