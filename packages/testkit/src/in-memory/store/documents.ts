import {
  type CreditNoteRepository,
  DuplicateInvoice,
  formatIsoDate,
  type Invoice,
  type InvoiceRepository,
  type PaymentRepository,
  type RefundRepository,
  StoreError
} from "@ezscale/core"
import { Effect, Option } from "effect"
import type { Db } from "./db"
import { key, nextSerial, paginate, rowsOf, sameTenant, sortableInstant } from "./state"

/** The renewal key of an invoice, when it has one (renewal or order, with a subscription and a period). */
const renewalKey = (tenantId: string, invoice: Invoice): string | undefined =>
  (invoice.kind === "renewal" || invoice.kind === "order") &&
  invoice.subscriptionId !== undefined &&
  invoice.period !== undefined
    ? key(
        tenantId,
        "invoice-period",
        invoice.subscriptionId,
        formatIsoDate(invoice.period.start),
        formatIsoDate(invoice.period.end),
        invoice.kind
      )
    : undefined

const numberKey = (tenantId: string, kind: string, number: string | undefined) =>
  number === undefined ? undefined : key(tenantId, `${kind}-number`, number)

export const invoiceRepository = (db: Db): InvoiceRepository => ({
  get: (tenantId, invoiceId) =>
    db.run(({ tables }) => {
      const invoice = tables.invoices.get(key(tenantId, invoiceId))
      return invoice === undefined
        ? Effect.fail(StoreError.notFound("invoice", invoiceId))
        : Effect.succeed(invoice)
    }),
  insert: (tenantId, invoice) =>
    Effect.zipRight(
      sameTenant(tenantId, invoice, "invoice"),
      db.run(({ tables }) => {
        const k = key(tenantId, invoice.id)
        if (tables.invoices.has(k))
          return Effect.fail(StoreError.conflict("invoice", invoice.id, "id exists"))
        const period = renewalKey(tenantId, invoice)
        const holder = period === undefined ? undefined : tables.uniques.get(period)
        if (holder !== undefined && invoice.period !== undefined && invoice.subscriptionId !== undefined) {
          return Effect.fail(
            new DuplicateInvoice({
              subscriptionId: invoice.subscriptionId,
              periodStart: formatIsoDate(invoice.period.start),
              periodEnd: formatIsoDate(invoice.period.end),
              reason: invoice.kind,
              existingInvoiceId: holder
            })
          )
        }
        const number = numberKey(tenantId, "invoice", invoice.number)
        if (number !== undefined && tables.uniques.has(number)) {
          return Effect.fail(StoreError.conflict("invoice", invoice.number ?? "", "number exists"))
        }
        tables.invoices.set(k, invoice)
        if (period !== undefined) tables.uniques.set(period, invoice.id)
        if (number !== undefined) tables.uniques.set(number, invoice.id)
        return Effect.void
      })
    ),
  update: (tenantId, invoice) =>
    Effect.zipRight(
      sameTenant(tenantId, invoice, "invoice"),
      db.run(({ tables }) => {
        const k = key(tenantId, invoice.id)
        const current = tables.invoices.get(k)
        if (current === undefined) return Effect.fail(StoreError.notFound("invoice", invoice.id))
        if (renewalKey(tenantId, current) !== renewalKey(tenantId, invoice)) {
          return Effect.fail(StoreError.conflict("invoice", invoice.id, "the renewal key cannot change"))
        }
        const before = numberKey(tenantId, "invoice", current.number)
        const after = numberKey(tenantId, "invoice", invoice.number)
        if (after !== undefined && after !== before && tables.uniques.has(after)) {
          return Effect.fail(StoreError.conflict("invoice", invoice.number ?? "", "number exists"))
        }
        if (before !== undefined && before !== after) tables.uniques.delete(before)
        if (after !== undefined) tables.uniques.set(after, invoice.id)
        tables.invoices.set(k, invoice)
        return Effect.void
      })
    ),
  listByCustomer: (tenantId, customerId, page) =>
    db.run(({ tables }) =>
      paginate(
        rowsOf(tables.invoices, tenantId, (invoice) => invoice.customerId === customerId),
        (invoice) => invoice.id,
        page
      )
    ),
  listOpen: (tenantId, dueBefore, page) =>
    db.run(({ tables }) =>
      paginate(
        rowsOf(
          tables.invoices,
          tenantId,
          (invoice) => invoice.status === "open" && invoice.dueAt < dueBefore
        ),
        (invoice) => `${sortableInstant(invoice.dueAt)}|${invoice.id}`,
        page
      )
    ),
  findByPeriod: (tenantId, subscriptionId, period, kind) =>
    db.run(({ tables }) => {
      const id = tables.uniques.get(
        key(
          tenantId,
          "invoice-period",
          subscriptionId,
          formatIsoDate(period.start),
          formatIsoDate(period.end),
          kind
        )
      )
      return Effect.succeed(
        Option.fromNullable(id === undefined ? undefined : tables.invoices.get(key(tenantId, id)))
      )
    })
})

export const creditNoteRepository = (db: Db): CreditNoteRepository => ({
  insert: (tenantId, creditNote) =>
    Effect.zipRight(
      sameTenant(tenantId, creditNote.note, "credit note"),
      db.run((state) => {
        const { tables } = state
        const exists = rowsOf(tables.creditNotes, tenantId, (row) => row.id === creditNote.id).length > 0
        if (exists) return Effect.fail(StoreError.conflict("credit_note", creditNote.id, "id exists"))
        const number = numberKey(tenantId, "credit-note", creditNote.number)
        if (number !== undefined && tables.uniques.has(number)) {
          return Effect.fail(StoreError.conflict("credit_note", creditNote.number ?? "", "number exists"))
        }
        if (number !== undefined) tables.uniques.set(number, creditNote.id)
        tables.creditNotes.set(key(tenantId, nextSerial(state, "cn")), creditNote)
        return Effect.void
      })
    ),
  listByInvoice: (tenantId, invoiceId) =>
    db.run(({ tables }) =>
      Effect.succeed(rowsOf(tables.creditNotes, tenantId, (row) => row.note.invoiceId === invoiceId))
    )
})

/** Payments and refunds share their rules: unique id, unique idempotency key, listed per invoice. */
const moneyMovements = <
  A extends { readonly id: string; readonly invoiceId: string; readonly idempotencyKey: string }
>(
  db: Db,
  entity: "payment" | "refund",
  table: (state: Parameters<Parameters<Db["run"]>[0]>[0]) => Map<string, A>
) => ({
  insert: (tenantId: string, row: A) =>
    db.run((state) => {
      const rows = table(state)
      const k = key(tenantId, row.id)
      if (rows.has(k)) return Effect.fail(StoreError.conflict(entity, row.id, "id exists"))
      const idem = key(tenantId, `${entity}-idempotency`, row.idempotencyKey)
      if (state.tables.uniques.has(idem)) {
        return Effect.fail(StoreError.conflict(entity, row.idempotencyKey, "idempotency key exists"))
      }
      state.tables.uniques.set(idem, row.id)
      rows.set(k, row)
      return Effect.void
    }),
  listByInvoice: (tenantId: string, invoiceId: string) =>
    db.run((state) =>
      Effect.succeed(
        rowsOf(table(state), tenantId, (row) => row.invoiceId === invoiceId).sort((a, b) =>
          a.id < b.id ? -1 : a.id > b.id ? 1 : 0
        )
      )
    )
})

export const paymentRepository = (db: Db): PaymentRepository =>
  moneyMovements(db, "payment", ({ tables }) => tables.payments)

export const refundRepository = (db: Db): RefundRepository => ({
  ...moneyMovements(db, "refund", ({ tables }) => tables.refunds),
  setStatus: (tenantId, refundId, status) =>
    db.run(({ tables }) => {
      const k = key(tenantId, refundId)
      const current = tables.refunds.get(k)
      if (current === undefined) return Effect.fail(StoreError.notFound("refund", refundId))
      tables.refunds.set(k, { ...current, status })
      return Effect.void
    })
})
