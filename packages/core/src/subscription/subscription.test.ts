import { describe, expectTypeOf, it } from "vitest"
import type { RenewableSubscription } from "../invoicing/invoice/renewal"
import type { Subscription } from "./subscription"

describe("Subscription", () => {
  it("can be billed by a renewal as it is stored", () => {
    expectTypeOf<Subscription>().toMatchTypeOf<RenewableSubscription>()
  })
})
