import { Either } from "effect"
import { describe, expect, it } from "vitest"
import type { CivilDate } from "../calendar/civil-date"
import { startOfDayInZone } from "../calendar/zone"
import type { PricedItem } from "../catalog/selection"
import type { TaxDecision } from "../invoicing/tax/determine"
import { percent } from "../money/ratio"
import { previewChange } from "./preview"
import { type ChangeInput, quoteChange } from "./quote"

const d = (year: number, month: number, day: number): CivilDate => ({ year, month, day })
const vat20: TaxDecision = {
  kind: "taxed",
  country: "FR",
  components: [{ ruleId: "fr-vat", name: "TVA", rate: percent(20), compound: false }]
}
const plan = (itemId: string, amount: bigint): PricedItem => ({
  kind: "plan",
  itemId,
  description: `VPS ${itemId}`,
  cycle: "monthly",
  quantity: 1n,
  unitAmount: amount,
  amount,
  setupFee: 0n
})
const input: ChangeInput = {
  invoiceId: "inv_1",
  tenantId: "ten_1",
  customerId: "cus_1",
  subscriptionId: "sub_1",
  currency: "EUR",
  pricing: "exclusive",
  anchor: d(2026, 1, 1),
  period: { start: d(2026, 4, 1), end: d(2026, 5, 1) },
  at: startOfDayInZone(d(2026, 4, 11), "Europe/Paris") + 9 * 3_600_000,
  timeZone: "Europe/Paris",
  currentItems: [plan("2 GB", 3000n)],
  newItems: [plan("4 GB", 6000n)],
  tax: vat20,
  rounding: "half-even"
}
const preview = (overrides: Partial<ChangeInput>) =>
  previewChange(Either.getOrThrow(quoteChange({ ...input, ...overrides })))

describe("previewChange", () => {
  it("shows an upgrade's lines, tax, what is due now and the next renewal", () => {
    expect(preview({})).toEqual({
      policy: "immediate",
      effectiveDate: d(2026, 4, 11),
      currency: "EUR",
      lines: [
        {
          description: "Unused time on VPS 2 GB (20/30 days)",
          amount: -2000n,
          period: { start: d(2026, 4, 11), end: d(2026, 5, 1) }
        },
        {
          description: "Remaining time on VPS 4 GB (20/30 days)",
          amount: 4000n,
          period: { start: d(2026, 4, 11), end: d(2026, 5, 1) }
        }
      ],
      subtotal: 2000n,
      taxes: [{ name: "TVA", rate: { num: 1n, den: 5n }, base: 2000n, amount: 400n }],
      tax: 400n,
      total: 2400n,
      dueNow: 2400n,
      creditToAccount: 0n,
      notes: [],
      nextRenewal: { date: d(2026, 5, 1), cycle: "monthly", subtotal: 6000n, tax: 1200n, total: 7200n }
    })
  })

  it("shows a downgrade's credit to the account and nothing due", () => {
    const result = preview({ currentItems: [plan("4 GB", 6000n)], newItems: [plan("2 GB", 3000n)] })
    expect([result.total, result.dueNow, result.creditToAccount]).toEqual([-2400n, 0n, 2400n])
    expect(result.nextRenewal.total).toBe(3600n)
  })

  it("shows a change at the end of the term with no lines, effective at the period end", () => {
    const result = preview({
      policy: "end_of_term",
      currentItems: [plan("4 GB", 6000n)],
      newItems: [plan("2 GB", 3000n)]
    })
    expect(result).toMatchObject({
      policy: "end_of_term",
      effectiveDate: d(2026, 5, 1),
      lines: [],
      total: 0n,
      dueNow: 0n,
      creditToAccount: 0n,
      nextRenewal: { date: d(2026, 5, 1), total: 3600n }
    })
  })

  it("carries the invoice's legal notes and no tax rows for a reverse-charged business", () => {
    const result = preview({
      tax: { kind: "reverse_charge", note: "Reverse charge", customerVatId: "FR40303265045" }
    })
    expect(result.taxes).toEqual([])
    expect(result.notes).toEqual(["Reverse charge", "Customer VAT id: FR40303265045"])
    expect(result.total).toBe(2000n)
  })
})
