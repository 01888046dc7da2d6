/** Invoices (with their lines), credit notes, payments and refunds on MySQL / MariaDB. */
import {
  type CreditNoteRepository,
  formatIsoDate,
  type Invoice,
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
import type { MysqlClient } from "../client"
import { creditNoteLines, creditNotes, invoiceLines, invoices, payments, refunds } from "../schema"
import { unlessDuplicate } from "./support"

/** The invoices of `rows` with their lines, read with one query. */
const withLines = (
  client: MysqlClient,
  tenantId: string,
  rows: ReadonlyArray<InvoiceRow>
): Effect.Effect<Array<Invoice>, StoreError> =>
  rows.length === 0
    ? Effect.succeed([])
    : client
        .run({ entity: "invoice" }, (db) =>
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
        )
        .pipe(
          Effect.map((lineRows) => {
            const lines = groupBy(lineRows, (line) => line.invoiceId)
            return rows.map((row) => invoiceFromRows(row, lines.get(row.id) ?? []))
          })
        )

const insertLines = (client: MysqlClient, invoice: Invoice) => {
  const lines = invoiceLinesToRows(invoice)
  return lines.length === 0
    ? Effect.void
    : client.run({ entity: "invoice", key: invoice.id }, async (db) => {
        await db.insert(invoiceLines).values(lines)
      })
}

/** The id of the invoice holding `row`'s renewal key (empty when it vanished meanwhile). */
const renewalKeyHolder = (client: MysqlClient, row: InvoiceRow) =>
  client
    .run({ entity: "invoice", key: row.id }, (db) =>
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
        .limit(1)
    )
    .pipe(Effect.map((rows) => rows[0]?.id ?? ""))

const numberExists = (invoice: Invoice) =>
  Effect.fail(StoreError.conflict("invoice", invoice.number ?? "", "number exists"))

export const invoiceRepository = (client: MysqlClient): InvoiceRepository => ({
  get: (tenantId, invoiceId) =>
    client
      .run({ entity: "invoice", key: invoiceId }, (db) =>
        db
          .select()
          .from(invoices)
          .where(and(eq(invoices.tenantId, tenantId), eq(invoices.id, invoiceId)))
          .limit(1)
      )
      .pipe(
        Effect.flatMap((rows) => withLines(client, tenantId, rows)),
        Effect.flatMap((found) =>
          found[0] === undefined
            ? Effect.fail(StoreError.notFound("invoice", invoiceId))
            : Effect.succeed(found[0])
        )
      ),
  insert: (tenantId, invoice) =>
    Effect.zipRight(
      sameTenant(tenantId, invoice, "invoice"),
      Effect.suspend(() => {
        const row = invoiceToRow(invoice)
        return unlessDuplicate(
          client.atomically(
            Effect.zipRight(
              client.run({ entity: "invoice", key: invoice.id }, async (db) => {
                await db.insert(invoices).values(row)
              }),
              insertLines(client, invoice)
            )
          ),
          (key) => {
            if (key === "primary") return Effect.fail(StoreError.conflict("invoice", invoice.id, "id exists"))
            if (key === "invoices_renewal_key") {
              return Effect.flatMap(renewalKeyHolder(client, row), (holder) =>
                Effect.fail(duplicateInvoiceOf(row, holder))
              )
            }
            if (key === "invoices_number_key") return numberExists(invoice)
            return undefined
          }
        )
      })
    ),
  update: (tenantId, invoice) =>
    Effect.zipRight(
      sameTenant(tenantId, invoice, "invoice"),
      unlessDuplicate(
        client.atomically(
          Effect.gen(function* () {
            const context = { entity: "invoice", key: invoice.id }
            const row = invoiceToRow(invoice)
            const where = and(eq(invoices.tenantId, tenantId), eq(invoices.id, invoice.id))
            const current = yield* client.run(context, (db) =>
              db
                .select({
                  subscriptionId: invoices.subscriptionId,
                  periodStart: invoices.periodStart,
                  periodEnd: invoices.periodEnd,
                  renewalKind: invoices.renewalKind
                })
                .from(invoices)
                .where(where)
                .limit(1)
                .for("update")
            )
            const held = current[0]
            if (held === undefined) return yield* Effect.fail(StoreError.notFound("invoice", invoice.id))
            if (!sameRenewalKey(held, row)) {
              return yield* Effect.fail(
                StoreError.conflict("invoice", invoice.id, "the renewal key cannot change")
              )
            }
            const { tenantId: _tenant, id: _id, ...columns } = row
            yield* client.run(context, (db) => db.update(invoices).set(columns).where(where))
            yield* client.run(context, (db) =>
              db
                .delete(invoiceLines)
                .where(and(eq(invoiceLines.tenantId, tenantId), eq(invoiceLines.invoiceId, invoice.id)))
            )
            yield* insertLines(client, invoice)
          })
        ),
        (key) => (key === "invoices_number_key" ? numberExists(invoice) : undefined)
      )
    ),
  listByCustomer: (tenantId, customerId, page) =>
    Effect.gen(function* () {
      yield* checkLimit(page)
      const rows = yield* client.run({ entity: "invoice" }, (db) =>
        db
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
      )
      const page_ = pageOf(
        rows,
        page.limit,
        (row) => row,
        (row) => row.id
      )
      const items = yield* withLines(client, tenantId, page_.items)
      return { ...page_, items }
    }),
  listOpen: (tenantId, dueBefore, page) =>
    Effect.gen(function* () {
      yield* checkLimit(page)
      const after = page.after === undefined ? undefined : yield* parseInstantCursor(page.after, "invoice")
      const afterCursor: SQL | undefined =
        after === undefined
          ? undefined
          : or(gt(invoices.dueAt, after.at), and(eq(invoices.dueAt, after.at), gt(invoices.id, after.id)))
      const rows = yield* client.run({ entity: "invoice" }, (db) =>
        db
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
      )
      const page_ = pageOf(
        rows,
        page.limit,
        (row) => row,
        (row) => instantCursor(row.dueAt, row.id)
      )
      const items = yield* withLines(client, tenantId, page_.items)
      return { ...page_, items }
    }),
  findByPeriod: (tenantId, subscriptionId, period, kind) =>
    renewalKeyKinds.includes(kind)
      ? client
          .run({ entity: "invoice", key: subscriptionId }, (db) =>
            db
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
              .limit(1)
          )
          .pipe(
            Effect.flatMap((rows) => withLines(client, tenantId, rows)),
            Effect.map((found) => Option.fromNullable(found[0]))
          )
      : Effect.succeed(Option.none())
})

export const creditNoteRepository = (client: MysqlClient): CreditNoteRepository => ({
  insert: (tenantId, creditNote) =>
    Effect.zipRight(
      sameTenant(tenantId, creditNote.note, "credit note"),
      Effect.suspend(() => {
        const { row, lines } = creditNoteToRows(creditNote, client.ids.next("cn"))
        const context = { entity: "credit_note", key: creditNote.id }
        return unlessDuplicate(
          client.atomically(
            Effect.zipRight(
              client.run(context, async (db) => {
                await db.insert(creditNotes).values(row)
              }),
              lines.length === 0
                ? Effect.void
                : client.run(context, async (db) => {
                    await db.insert(creditNoteLines).values(lines)
                  })
            )
          ),
          (key) =>
            key === "primary"
              ? Effect.fail(StoreError.conflict("credit_note", creditNote.id, "id exists"))
              : key === "credit_notes_number_key"
                ? Effect.fail(StoreError.conflict("credit_note", creditNote.number ?? "", "number exists"))
                : undefined
        )
      })
    ),
  listByInvoice: (tenantId, invoiceId) =>
    Effect.gen(function* () {
      const rows = yield* client.run({ entity: "credit_note" }, (db) =>
        db
          .select()
          .from(creditNotes)
          .where(and(eq(creditNotes.tenantId, tenantId), eq(creditNotes.invoiceId, invoiceId)))
          .orderBy(asc(creditNotes.insertOrder))
      )
      if (rows.length === 0) return []
      const lineRows = yield* client.run({ entity: "credit_note" }, (db) =>
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
      )
      const lines = groupBy(lineRows, (line) => line.creditNoteId)
      return rows.map((row) => creditNoteFromRows(row, lines.get(row.id) ?? []))
    })
})

export const paymentRepository = (client: MysqlClient): PaymentRepository => ({
  insert: (tenantId, payment) =>
    unlessDuplicate(
      client.run({ entity: "payment", key: payment.id }, async (db) => {
        await db.insert(payments).values(paymentToRow(tenantId, payment))
      }),
      (key) =>
        key === "primary"
          ? Effect.fail(StoreError.conflict("payment", payment.id, "id exists"))
          : key === "payments_idempotency_key"
            ? Effect.fail(StoreError.conflict("payment", payment.idempotencyKey, "idempotency key exists"))
            : undefined
    ),
  listByInvoice: (tenantId, invoiceId) =>
    client
      .run({ entity: "payment" }, (db) =>
        db
          .select()
          .from(payments)
          .where(and(eq(payments.tenantId, tenantId), eq(payments.invoiceId, invoiceId)))
          .orderBy(asc(payments.id))
      )
      .pipe(Effect.map((rows) => rows.map(paymentFromRow)))
})

export const refundRepository = (client: MysqlClient): RefundRepository => ({
  insert: (tenantId, refund) =>
    unlessDuplicate(
      client.run({ entity: "refund", key: refund.id }, async (db) => {
        await db.insert(refunds).values(refundToRow(tenantId, refund))
      }),
      (key) =>
        key === "primary"
          ? Effect.fail(StoreError.conflict("refund", refund.id, "id exists"))
          : key === "refunds_idempotency_key"
            ? Effect.fail(StoreError.conflict("refund", refund.idempotencyKey, "idempotency key exists"))
            : undefined
    ),
  listByInvoice: (tenantId, invoiceId) =>
    client
      .run({ entity: "refund" }, (db) =>
        db
          .select()
          .from(refunds)
          .where(and(eq(refunds.tenantId, tenantId), eq(refunds.invoiceId, invoiceId)))
          .orderBy(asc(refunds.id))
      )
      .pipe(Effect.map((rows) => rows.map(refundFromRow))),
  setStatus: (tenantId, refundId, status) =>
    Effect.gen(function* () {
      const context = { entity: "refund", key: refundId }
      const where = and(eq(refunds.tenantId, tenantId), eq(refunds.id, refundId))
      // Found first: MySQL counts only the rows an update changed, and writing the same status changes none.
      const found = yield* client.run(context, (db) =>
        db.select({ id: refunds.id }).from(refunds).where(where).limit(1)
      )
      if (found[0] === undefined) return yield* Effect.fail(StoreError.notFound("refund", refundId))
      yield* client.run(context, (db) => db.update(refunds).set({ status }).where(where))
    })
})
