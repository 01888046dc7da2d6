/**
 * Test-data builders with sensible defaults: a German business customer billed in EUR, a monthly VPS
 * subscription anchored on 2026-01-15, an open renewal invoice of 10.00 EUR. Override what the test is
 * about; everything else stays valid.
 */
import {
  type CivilDate,
  type Coupon,
  type Customer,
  emptySettlement,
  type GatewayAccount,
  type Invoice,
  type InvoiceLine,
  type LedgerEntryInput,
  type Payment,
  pendingSubscription,
  type SavedPaymentMethod,
  type Service,
  type Subscription,
  type Tenant,
  totalsOf
} from "@ezscale/core"

/** Defaults overridden field by field (an override of `undefined` clears an optional field). */
const build = <T>(defaults: T, overrides: Partial<T>): T => ({ ...defaults, ...overrides }) as T

/** A civil date without validation, for literals in tests. */
export const date = (year: number, month: number, day: number): CivilDate => ({ year, month, day })

/** 2026-01-15T00:00:00Z as epoch ms. */
export const defaultInstant = Date.UTC(2026, 0, 15)

export const makeTenant = (overrides: Partial<Tenant> = {}): Tenant =>
  build<Tenant>(
    {
      id: "tenant-1",
      name: "Example Hosting",
      settings: {}
    },
    overrides
  )

export const makeCustomer = (overrides: Partial<Customer> = {}): Customer =>
  build<Customer>(
    {
      id: "cus-1",
      tenantId: "tenant-1",
      name: "Muster GmbH",
      email: "billing@muster.example",
      country: "DE",
      isBusiness: true,
      timeZone: "Europe/Berlin",
      currency: "EUR",
      locale: "de-DE"
    },
    overrides
  )

export const makeSubscription = (overrides: Partial<Subscription> = {}): Subscription =>
  build<Subscription>(
    {
      id: "sub-1",
      tenantId: "tenant-1",
      customerId: "cus-1",
      productId: "vps",
      productKind: "vps",
      planId: "vps-small",
      currency: "EUR",
      cycle: "monthly",
      pricing: "exclusive",
      items: [
        {
          kind: "plan",
          itemId: "vps-small",
          description: "VPS Small",
          cycle: "monthly",
          quantity: 1n,
          unitAmount: 1000n,
          amount: 1000n,
          setupFee: 0n
        }
      ],
      timeZone: "Europe/Berlin",
      anchor: date(2026, 1, 15),
      nextRenewalAt: defaultInstant,
      coupons: [],
      invoicedPeriods: 0,
      lifecycle: { ...pendingSubscription, status: "active" },
      createdAt: defaultInstant
    },
    overrides
  )

export const makeLine = (overrides: Partial<InvoiceLine> = {}): InvoiceLine =>
  build<InvoiceLine>(
    {
      kind: "plan",
      description: "VPS Small",
      quantity: 1n,
      unitAmount: 1000n,
      amount: 1000n,
      net: 1000n,
      tax: 0n,
      gross: 1000n,
      taxes: [],
      period: undefined,
      itemId: "vps-small",
      couponId: undefined,
      reduces: undefined
    },
    overrides
  )

/** An open renewal invoice for `sub-1`'s period 2026-01-15..2026-02-15; totals follow the lines. */
export const makeInvoice = (overrides: Partial<Invoice> = {}): Invoice => {
  const lines = overrides.lines ?? [makeLine()]
  return build<Invoice>(
    {
      id: "inv-1",
      tenantId: "tenant-1",
      customerId: "cus-1",
      subscriptionId: "sub-1",
      kind: "renewal",
      status: "open",
      currency: "EUR",
      issuedAt: defaultInstant,
      dueAt: defaultInstant + 7 * 86_400_000,
      period: { start: date(2026, 1, 15), end: date(2026, 2, 15) },
      pricing: "exclusive",
      taxDecision: { kind: "exempt", reason: "test" },
      lines,
      taxSummary: [],
      notes: [],
      totals: totalsOf(lines),
      settlement: emptySettlement,
      number: undefined,
      paidAt: undefined,
      voidedAt: undefined
    },
    overrides
  )
}

export const makePayment = (overrides: Partial<Payment> = {}): Payment =>
  build<Payment>(
    {
      id: "pay-1",
      invoiceId: "inv-1",
      customerId: "cus-1",
      currency: "EUR",
      amount: 1000n,
      status: "succeeded",
      gateway: "fake",
      idempotencyKey: "collect:inv-1:1",
      at: defaultInstant
    },
    overrides
  )

export const makeLedgerEntry = (overrides: Partial<LedgerEntryInput> = {}): LedgerEntryInput =>
  build<LedgerEntryInput>(
    {
      customerId: "cus-1",
      currency: "EUR",
      amount: 1000n,
      kind: "credit_added",
      at: defaultInstant
    },
    overrides
  )

/** A fixed 5.00 EUR coupon, stackable, forever, without limits unless given. */
export const makeCoupon = (overrides: Partial<Extract<Coupon, { kind: "fixed" }>> = {}): Coupon => ({
  id: "cpn-1",
  code: "WELCOME",
  kind: "fixed",
  amounts: { EUR: 500n },
  duration: "forever",
  stackable: true,
  ...overrides
})

/** A Visa card saved at the `stripe` gateway for `cus-1`, not asked to be the default. */
export const makePaymentMethod = (overrides: Partial<SavedPaymentMethod> = {}): SavedPaymentMethod =>
  build<SavedPaymentMethod>(
    {
      id: "pm-1",
      customerId: "cus-1",
      gateway: "stripe",
      gatewayCustomerId: "cus_Stripe123",
      gatewayMethodId: "pm_1Visa4242",
      kind: "card",
      label: "Visa •••• 4242",
      expiresAt: { month: 12, year: 2030 },
      isDefault: false,
      createdAt: defaultInstant
    },
    overrides
  )

/** An active VirtFusion VPS for `sub-1`, with encrypted credentials (an opaque base64 envelope). */
export const makeService = (overrides: Partial<Service> = {}): Service =>
  build<Service>(
    {
      id: "svc-1",
      tenantId: "tenant-1",
      subscriptionId: "sub-1",
      customerId: "cus-1",
      provisioner: "virtfusion",
      externalIds: { serverId: 4711, userId: "vf-user-12", hypervisor: { id: 3, name: "fra-1" } },
      state: "active",
      credentials: {
        ciphertext: "CzBVep/E6Q4zWH2ix+wRNluApcrvFDleg6jN8hc8YYar0PUaP2SJrtP4HUJn",
        keyId: "key-2026-01"
      },
      createdAt: defaultInstant,
      updatedAt: defaultInstant
    },
    overrides
  )

/** A tenant's live Stripe account taking USD and EUR, credentials sealed (an opaque base64 envelope). */
export const makeGatewayAccount = (overrides: Partial<GatewayAccount> = {}): GatewayAccount =>
  build<GatewayAccount>(
    {
      tenantId: "tenant-1",
      gateway: "stripe",
      mode: "live",
      currencies: ["USD", "EUR"],
      credentials: {
        ciphertext: "q3Vx0mZbTg8pS2n1rWc4YeLd7uHfA9kJ6oPiQ5tBvXs2NzM1lR8hE3wKyGaCdUjO",
        keyId: "key-2026-01"
      },
      enabled: true,
      createdAt: defaultInstant,
      updatedAt: defaultInstant
    },
    overrides
  )
