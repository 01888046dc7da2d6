/** Invoices (with their lines), credit notes, payments and refunds on SQLite. */
import {
  type CreditNoteRepository,
  type DuplicateInvoice,
  formatIsoDate,
  type InvoiceRepository,
  type PaymentRepository,
  type RefundRepository,
  StoreError
} from "@ezscale/core"
import { and, asc, eq, gt, inArray, lt, or, type SQL } from "drizzle-orm"
import { Effect, Option } from "effect"
import {
  creditNoteFromRows,
  creditNoteToRows,
  duplicateInvoiceOf,
  type InvoiceRow,
  invoiceFromRows,
  invoiceLinesToRows,
  invoiceToRow,
  paymentFromRow,
  paymentToRow,
  refundFromRow,
  refundToRow,
  renewalKeyKinds,
  sameRenewalKey
} from "../../store-sql/documents"
import { groupBy } from "../../store-sql/group"
import { checkLimit, instantCursor, pageOf, parseInstantCursor } from "../../store-sql/paging"
import { sameTenant } from "../../store-sql/tenant"
import type { SqliteClient, SqliteDb } from "../client"
import { creditNoteLines, creditNotes, invoiceLines, invoices, payments, refunds } from "../schema"
import { unlessDuplicate } from "./support"

/** The invoices of `rows` with their lines, read with one query. */
const withLines = (db: SqliteDb, tenantId: string, rows: ReadonlyArray<InvoiceRow>) => {
  if (rows.length === 0) return []
  const lines = groupBy(
    db
      .select()
      .from(invoiceLines)
      .where(
        and(
          eq(invoiceLines.tenantId, tenantId),
          inArray(
            invoiceLines.invoiceId,
            rows.map((row) => row.id)
          )
        )
      )
      .all(),
    (line) => line.invoiceId
  )
  return rows.map((row) => invoiceFromRows(row, lines.get(row.id) ?? []))
}

const replaceLines = (
  db: SqliteDb,
  tenantId: string,
  invoiceId: string,
  rows: ReturnType<typeof invoiceLinesToRows>
) => {
  db.delete(invoiceLines)
    .where(and(eq(invoiceLines.tenantId, tenantId), eq(invoiceLines.invoiceId, invoiceId)))
    .run()
  if (rows.length > 0) db.insert(invoiceLines).values(rows).run()
}

/** The id of the invoice holding `row`'s renewal key. */
const renewalKeyHolder = (db: SqliteDb, row: InvoiceRow): string =>
  db
    .select({ id: invoices.id })
    .from(invoices)
    .where(
      and(
        eq(invoices.tenantId, row.tenantId),
        eq(invoices.subscriptionId, row.subscriptionId ?? ""),
        eq(invoices.periodStart, row.periodStart ?? ""),
        eq(invoices.periodEnd, row.periodEnd ?? ""),
        eq(invoices.renewalKind, row.renewalKind ?? "")
      )
    )
    .get()?.id ?? ""

export const invoiceRepository = (client: SqliteClient): InvoiceRepository => ({
  get: (tenantId, invoiceId) =>
    client
      .run({ entity: "invoice", key: invoiceId }, (db) => {
        const row = db
          .select()
          .from(invoices)
          .where(and(eq(invoices.tenantId, tenantId), eq(invoices.id, invoiceId)))
          .get()
        return row === undefined ? undefined : withLines(db, tenantId, [row])[0]
      })
      .pipe(
        Effect.flatMap((invoice) =>
          invoice === undefined
            ? Effect.fail(StoreError.notFound("invoice", invoiceId))
            : Effect.succeed(invoice)
        )
      ),
  insert: (tenantId, invoice) =>
    Effect.zipRight(
      sameTenant(tenantId, invoice, "invoice"),
      client
        .run({ entity: "invoice", key: invoice.id }, (db) => {
          const row = invoiceToRow(invoice)
          return unlessDuplicate(
            () =>
              client.atomically(() => {
                db.insert(invoices).values(row).run()
                const lines = invoiceLinesToRows(invoice)
                if (lines.length > 0) db.insert(invoiceLines).values(lines).run()
              }),
            (key): StoreError | DuplicateInvoice | undefined => {
              if (key === "primary") return StoreError.conflict("invoice", invoice.id, "id exists")
              if (key === "invoices_renewal_key") return duplicateInvoiceOf(row, renewalKeyHolder(db, row))
              if (key === "invoices_number_key")
                return StoreError.conflict("invoice", invoice.number ?? "", "number exists")
              return undefined
            }
          )
        })
        .pipe(Effect.flatten)
    ),
  update: (tenantId, invoice) =>
    Effect.zipRight(
      sameTenant(tenantId, invoice, "invoice"),
      client
        .run({ entity: "invoice", key: invoice.id }, (db) => {
          const row = invoiceToRow(invoice)
          const where = and(eq(invoices.tenantId, tenantId), eq(invoices.id, invoice.id))
          return unlessDuplicate(
            () =>
              client.atomically((): StoreError | undefined => {
                const current = db
                  .select({
                    subscriptionId: invoices.subscriptionId,
                    periodStart: invoices.periodStart,
                    periodEnd: invoices.periodEnd,
                    renewalKind: invoices.renewalKind
                  })
                  .from(invoices)
                  .where(where)
                  .get()
                if (current === undefined) return StoreError.notFound("invoice", invoice.id)
                if (!sameRenewalKey(current, row)) {
                  return StoreError.conflict("invoice", invoice.id, "the renewal key cannot change")
                }
                const { tenantId: _tenant, id: _id, ...columns } = row
                db.update(invoices).set(columns).where(where).run()
                replaceLines(db, tenantId, invoice.id, invoiceLinesToRows(invoice))
                return undefined
              }),
            (key) =>
              key === "invoices_number_key"
                ? StoreError.conflict("invoice", invoice.number ?? "", "number exists")
                : undefined
          )
        })
        .pipe(
          Effect.flatten,
          Effect.flatMap((refused) => (refused === undefined ? Effect.void : Effect.fail(refused)))
        )
    ),
  listByCustomer: (tenantId, customerId, page) =>
    Effect.zipRight(
      checkLimit(page),
      client.run({ entity: "invoice" }, (db) => {
        const rows = db
          .select()
          .from(invoices)
          .where(
            and(
              eq(invoices.tenantId, tenantId),
              eq(invoices.customerId, customerId),
              page.after === undefined ? undefined : gt(invoices.id, page.after)
            )
          )
          .orderBy(asc(invoices.id))
          .limit(page.limit + 1)
          .all()
        const page_ = pageOf(
          rows,
          page.limit,
          (row) => row,
          (row) => row.id
        )
        return { ...page_, items: withLines(db, tenantId, page_.items) }
      })
    ),
  listOpen: (tenantId, dueBefore, page) =>
    Effect.gen(function* () {
      yield* checkLimit(page)
      const after = page.after === undefined ? undefined : yield* parseInstantCursor(page.after, "invoice")
      const afterCursor: SQL | undefined =
        after === undefined
          ? undefined
          : or(gt(invoices.dueAt, after.at), and(eq(invoices.dueAt, after.at), gt(invoices.id, after.id)))
      return yield* client.run({ entity: "invoice" }, (db) => {
        const rows = db
          .select()
          .from(invoices)
          .where(
            and(
              eq(invoices.tenantId, tenantId),
              eq(invoices.status, "open"),
              lt(invoices.dueAt, dueBefore),
              afterCursor
            )
          )
          .orderBy(asc(invoices.dueAt), asc(invoices.id))
          .limit(page.limit + 1)
          .all()
        const page_ = pageOf(
          rows,
          page.limit,
          (row) => row,
          (row) => instantCursor(row.dueAt, row.id)
        )
        return { ...page_, items: withLines(db, tenantId, page_.items) }
      })
    }),
  findByPeriod: (tenantId, subscriptionId, period, kind) =>
    renewalKeyKinds.includes(kind)
      ? client.run({ entity: "invoice", key: subscriptionId }, (db) => {
          const row = db
            .select()
            .from(invoices)
            .where(
              and(
                eq(invoices.tenantId, tenantId),
                eq(invoices.subscriptionId, subscriptionId),
                eq(invoices.periodStart, formatIsoDate(period.start)),
                eq(invoices.periodEnd, formatIsoDate(period.end)),
                eq(invoices.renewalKind, kind)
              )
            )
            .get()
          return Option.fromNullable(row === undefined ? undefined : withLines(db, tenantId, [row])[0])
        })
      : Effect.succeed(Option.none())
})

export const creditNoteRepository = (client: SqliteClient): CreditNoteRepository => ({
  insert: (tenantId, creditNote) =>
    Effect.zipRight(
      sameTenant(tenantId, creditNote.note, "credit note"),
      client
        .run({ entity: "credit_note", key: creditNote.id }, (db) => {
          const { row, lines } = creditNoteToRows(creditNote, client.ids.next("cn"))
          return unlessDuplicate(
            () =>
              client.atomically(() => {
                db.insert(creditNotes).values(row).run()
                if (lines.length > 0) db.insert(creditNoteLines).values(lines).run()
              }),
            (key) =>
              key === "primary"
                ? StoreError.conflict("credit_note", creditNote.id, "id exists")
                : key === "credit_notes_number_key"
                  ? StoreError.conflict("credit_note", creditNote.number ?? "", "number exists")
                  : undefined
          )
        })
        .pipe(Effect.flatten)
    ),
  listByInvoice: (tenantId, invoiceId) =>
    client.run({ entity: "credit_note" }, (db) => {
      const rows = db
        .select()
        .from(creditNotes)
        .where(and(eq(creditNotes.tenantId, tenantId), eq(creditNotes.invoiceId, invoiceId)))
        .orderBy(asc(creditNotes.insertOrder))
        .all()
      if (rows.length === 0) return []
      const lines = groupBy(
        db
          .select()
          .from(creditNoteLines)
          .where(
            and(
              eq(creditNoteLines.tenantId, tenantId),
              inArray(
                creditNoteLines.creditNoteId,
                rows.map((row) => row.id)
              )
            )
          )
          .all(),
        (line) => line.creditNoteId
      )
      return rows.map((row) => creditNoteFromRows(row, lines.get(row.id) ?? []))
    })
})

export const paymentRepository = (client: SqliteClient): PaymentRepository => ({
  insert: (tenantId, payment) =>
    client
      .run({ entity: "payment", key: payment.id }, (db) =>
        unlessDuplicate(
          () => db.insert(payments).values(paymentToRow(tenantId, payment)).run(),
          (key) =>
            key === "primary"
              ? StoreError.conflict("payment", payment.id, "id exists")
              : key === "payments_idempotency_key"
                ? StoreError.conflict("payment", payment.idempotencyKey, "idempotency key exists")
                : undefined
        )
      )
      .pipe(Effect.flatten, Effect.asVoid),
  listByInvoice: (tenantId, invoiceId) =>
    client.run({ entity: "payment" }, (db) =>
      db
        .select()
        .from(payments)
        .where(and(eq(payments.tenantId, tenantId), eq(payments.invoiceId, invoiceId)))
        .orderBy(asc(payments.id))
        .all()
        .map(paymentFromRow)
    )
})

export const refundRepository = (client: SqliteClient): RefundRepository => ({
  insert: (tenantId, refund) =>
    client
      .run({ entity: "refund", key: refund.id }, (db) =>
        unlessDuplicate(
          () => db.insert(refunds).values(refundToRow(tenantId, refund)).run(),
          (key) =>
            key === "primary"
              ? StoreError.conflict("refund", refund.id, "id exists")
              : key === "refunds_idempotency_key"
                ? StoreError.conflict("refund", refund.idempotencyKey, "idempotency key exists")
                : undefined
        )
      )
      .pipe(Effect.flatten, Effect.asVoid),
  listByInvoice: (tenantId, invoiceId) =>
    client.run({ entity: "refund" }, (db) =>
      db
        .select()
        .from(refunds)
        .where(and(eq(refunds.tenantId, tenantId), eq(refunds.invoiceId, invoiceId)))
        .orderBy(asc(refunds.id))
        .all()
        .map(refundFromRow)
    ),
  setStatus: (tenantId, refundId, status) =>
    client
      .run(
        { entity: "refund", key: refundId },
        (db) =>
          db
            .update(refunds)
            .set({ status })
            .where(and(eq(refunds.tenantId, tenantId), eq(refunds.id, refundId)))
            .run().changes
      )
      .pipe(
        Effect.flatMap((changed) =>
          changed === 0 ? Effect.fail(StoreError.notFound("refund", refundId)) : Effect.void
        )
      )
})
