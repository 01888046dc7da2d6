/**
 * The `Store` contract: what every store adapter (in-memory, SQLite, MySQL) must do, asserted on
 * outcomes. Run it from the adapter's test file:
 *
 *   storeContract("sqlite", SqliteStore.layer(config).pipe(Layer.merge(InMemoryIds.layer)))
 *
 * The layer is built once for the suite (like a real database); tests keep apart by tenant.
 */

import { describe, layer } from "@effect/vitest"
import type { Ids, Store } from "@ezscale/core"
import type { Layer } from "effect"
import { auditContract } from "./audit"
import { creditContract } from "./credit"
import { exchangeRateContract } from "./exchange-rates"
import { gatewayAccountContract } from "./gateway-accounts"
import { invoiceContract } from "./invoices"
import { jobContract } from "./jobs"
import { lookupContract } from "./lookups"
import { paymentMethodContract } from "./payment-methods"
import { recordContract } from "./records"
import { renewalContract } from "./renewals"
import { revenueContract } from "./revenue"
import { serviceContract } from "./services"
import type { StoreCapabilities } from "./support"
import { taxRuleContract } from "./tax-rules"
import { transactionContract } from "./transactions"
import { usageSampleContract } from "./usage-samples"
import { webhookInboxContract } from "./webhook-inbox"

export type { StoreCapabilities } from "./support"

export const storeContract = (
  name: string,
  storeLayer: Layer.Layer<Store | Ids>,
  capabilities: StoreCapabilities = {}
): void => {
  describe(`Store contract: ${name}`, () => {
    layer(storeLayer)((it) => {
      recordContract(it)
      invoiceContract(it)
      transactionContract(it, capabilities)
      creditContract(it)
      jobContract(it)
      lookupContract(it)
      taxRuleContract(it)
      exchangeRateContract(it)
      paymentMethodContract(it)
      webhookInboxContract(it)
      auditContract(it)
      serviceContract(it)
      usageSampleContract(it)
      revenueContract(it)
      renewalContract(it)
      gatewayAccountContract(it)
    })
  })
}
