/** Tenants, customers, catalogs and subscriptions on SQLite. */
import {
  type Catalog,
  type CatalogRepository,
  type CustomerRepository,
  StoreError,
  type Subscription,
  type SubscriptionRepository,
  type TenantRepository,
  VersionConflict,
  type Versioned
} from "@ezscale/core"
import { and, asc, eq, gt, inArray, sql } from "drizzle-orm"
import { Effect, Either } from "effect"
import { idChunks, inAskedOrder } from "../../store-sql/batch"
import { groupBy } from "../../store-sql/group"
import { decodeDocument, encodeDocument } from "../../store-sql/json"
import { checkLimit, pageOf, parseRenewalCursor, renewalCursor } from "../../store-sql/paging"
import {
  customerFromRow,
  customerToRow,
  type SubscriptionRow,
  subscriptionFromRows,
  subscriptionItemsToRows,
  subscriptionToRow,
  tenantFromRow,
  tenantToRow
} from "../../store-sql/records"
import {
  customerRowFromValues,
  customersSql,
  duePageSql,
  itemRowFromValues,
  itemsSql,
  subscriptionRowFromValues,
  versionedSubscriptions
} from "../../store-sql/renewals"
import { sameTenant } from "../../store-sql/tenant"
import type { SqliteClient, SqliteDb } from "../client"
import { catalogs, customers, subscriptionItems, subscriptions, tenants } from "../schema"
import { unlessDuplicate } from "./support"

const found =
  (entity: string, key: string) =>
  <A>(row: A | undefined): Effect.Effect<A, StoreError> =>
    row === undefined ? Effect.fail(StoreError.notFound(entity, key)) : Effect.succeed(row)

export const tenantRepository = (client: SqliteClient): TenantRepository => ({
  get: (tenantId) =>
    client
      .run({ entity: "tenant", key: tenantId }, (db) =>
        db.select().from(tenants).where(eq(tenants.tenantId, tenantId)).get()
      )
      .pipe(Effect.flatMap(found("tenant", tenantId)), Effect.map(tenantFromRow)),
  put: (tenant) =>
    client.run({ entity: "tenant", key: tenant.id }, (db) => {
      const row = tenantToRow(tenant)
      db.insert(tenants)
        .values(row)
        .onConflictDoUpdate({ target: tenants.tenantId, set: { name: row.name, settings: row.settings } })
        .run()
    })
})

export const customerRepository = (client: SqliteClient): CustomerRepository => ({
  get: (tenantId, customerId) =>
    client
      .run({ entity: "customer", key: customerId }, (db) =>
        db
          .select()
          .from(customers)
          .where(and(eq(customers.tenantId, tenantId), eq(customers.id, customerId)))
          .get()
      )
      .pipe(Effect.flatMap(found("customer", customerId)), Effect.map(customerFromRow)),
  // hand-written: a billing run reads the customers of every page
  getMany: (tenantId, customerIds) =>
    client.run({ entity: "customer" }, () => {
      const rows = idChunks(customerIds).flatMap((chunk) =>
        (
          client.connection
            .prepare(customersSql(chunk.length))
            .raw(true)
            .all(tenantId, ...chunk) as Array<ReadonlyArray<unknown>>
        ).map(customerRowFromValues)
      )
      return inAskedOrder(customerIds, rows, (row) => row.id).map(customerFromRow)
    }),
  insert: (tenantId, customer) =>
    Effect.zipRight(
      sameTenant(tenantId, customer, "customer"),
      client
        .run({ entity: "customer", key: customer.id }, (db) =>
          unlessDuplicate(
            () => db.insert(customers).values(customerToRow(customer)).run(),
            (key) =>
              key === "primary" ? StoreError.conflict("customer", customer.id, "id exists") : undefined
          )
        )
        .pipe(Effect.flatten, Effect.asVoid)
    ),
  update: (tenantId, customer) =>
    Effect.zipRight(
      sameTenant(tenantId, customer, "customer"),
      client
        .run({ entity: "customer", key: customer.id }, (db) => {
          const { tenantId: _tenant, id: _id, ...columns } = customerToRow(customer)
          return db
            .update(customers)
            .set(columns)
            .where(and(eq(customers.tenantId, tenantId), eq(customers.id, customer.id)))
            .run().changes
        })
        .pipe(
          Effect.flatMap((changes) =>
            changes === 0 ? Effect.fail(StoreError.notFound("customer", customer.id)) : Effect.void
          )
        )
    ),
  list: (tenantId, page) =>
    Effect.zipRight(
      checkLimit(page),
      client.run({ entity: "customer" }, (db) => {
        const rows = db
          .select()
          .from(customers)
          .where(
            and(
              eq(customers.tenantId, tenantId),
              page.after === undefined ? undefined : gt(customers.id, page.after)
            )
          )
          .orderBy(asc(customers.id))
          .limit(page.limit + 1)
          .all()
        return pageOf(rows, page.limit, customerFromRow, (row) => row.id)
      })
    )
})

export const catalogRepository = (client: SqliteClient): CatalogRepository => ({
  get: (tenantId) =>
    client
      .run({ entity: "catalog", key: tenantId }, (db) =>
        db.select().from(catalogs).where(eq(catalogs.tenantId, tenantId)).get()
      )
      .pipe(
        Effect.flatMap(found("catalog", tenantId)),
        Effect.map((row) => decodeDocument<Catalog>(row.document))
      ),
  put: (tenantId, catalog) =>
    client.run({ entity: "catalog", key: tenantId }, (db) => {
      const document = encodeDocument(catalog)
      db.insert(catalogs)
        .values({ tenantId, document })
        .onConflictDoUpdate({ target: catalogs.tenantId, set: { document } })
        .run()
    })
})

/** The subscriptions of `rows` with their items, read with one query. */
const withItems = (
  db: SqliteDb,
  tenantId: string,
  rows: ReadonlyArray<SubscriptionRow>
): Array<Versioned<Subscription>> => {
  if (rows.length === 0) return []
  const items = groupBy(
    db
      .select()
      .from(subscriptionItems)
      .where(
        and(
          eq(subscriptionItems.tenantId, tenantId),
          inArray(
            subscriptionItems.subscriptionId,
            rows.map((row) => row.id)
          )
        )
      )
      .all(),
    (item) => item.subscriptionId
  )
  return rows.map((row) => ({
    value: subscriptionFromRows(row, items.get(row.id) ?? []),
    version: row.version
  }))
}

const insertItems = (db: SqliteDb, subscription: Subscription) => {
  const items = subscriptionItemsToRows(subscription)
  if (items.length > 0) db.insert(subscriptionItems).values(items).run()
}

export const subscriptionRepository = (client: SqliteClient): SubscriptionRepository => ({
  get: (tenantId, subscriptionId) =>
    client
      .run({ entity: "subscription", key: subscriptionId }, (db) => {
        const row = db
          .select()
          .from(subscriptions)
          .where(and(eq(subscriptions.tenantId, tenantId), eq(subscriptions.id, subscriptionId)))
          .get()
        return row === undefined ? undefined : withItems(db, tenantId, [row])[0]
      })
      .pipe(Effect.flatMap(found("subscription", subscriptionId))),
  insert: (tenantId, subscription) =>
    Effect.zipRight(
      sameTenant(tenantId, subscription, "subscription"),
      client
        .run({ entity: "subscription", key: subscription.id }, (db) =>
          unlessDuplicate(
            () =>
              client.atomically(() => {
                db.insert(subscriptions)
                  .values({ ...subscriptionToRow(subscription), version: 1 })
                  .run()
                insertItems(db, subscription)
                return { value: subscription, version: 1 }
              }),
            (key) =>
              key === "primary"
                ? StoreError.conflict("subscription", subscription.id, "id exists")
                : undefined
          )
        )
        .pipe(Effect.flatten)
    ),
  update: (tenantId, subscription, expectedVersion) =>
    Effect.zipRight(
      sameTenant(tenantId, subscription, "subscription"),
      client
        .run({ entity: "subscription", key: subscription.id }, (db) =>
          client.atomically((): Either.Either<Versioned<Subscription>, StoreError | VersionConflict> => {
            const { tenantId: _tenant, id: _id, ...columns } = subscriptionToRow(subscription)
            const where = and(eq(subscriptions.tenantId, tenantId), eq(subscriptions.id, subscription.id))
            const { changes } = db
              .update(subscriptions)
              .set({ ...columns, version: sql`${subscriptions.version} + 1` })
              .where(and(where, eq(subscriptions.version, expectedVersion)))
              .run()
            if (changes === 0) {
              const current = db
                .select({ version: subscriptions.version })
                .from(subscriptions)
                .where(where)
                .get()
              return Either.left(
                current === undefined
                  ? StoreError.notFound("subscription", subscription.id)
                  : new VersionConflict({
                      entity: "subscription",
                      id: subscription.id,
                      expected: expectedVersion,
                      actual: current.version
                    })
              )
            }
            db.delete(subscriptionItems)
              .where(
                and(
                  eq(subscriptionItems.tenantId, tenantId),
                  eq(subscriptionItems.subscriptionId, subscription.id)
                )
              )
              .run()
            insertItems(db, subscription)
            return Either.right({ value: subscription, version: expectedVersion + 1 })
          })
        )
        .pipe(Effect.flatten)
    ),
  // hand-written, prepared once: the billing run's read of every page
  dueForRenewal: (tenantId, before, page) =>
    Effect.gen(function* () {
      yield* checkLimit(page)
      const after = page.after === undefined ? undefined : yield* parseRenewalCursor(page.after)
      return yield* client.run({ entity: "subscription" }, () => {
        const { connection } = client
        const raw = (
          after === undefined
            ? connection
                .prepare(duePageSql.first)
                .raw(true)
                .all(tenantId, before, page.limit + 1)
            : connection
                .prepare(duePageSql.after)
                .raw(true)
                .all(tenantId, before, after.nextRenewalAt, after.nextRenewalAt, after.id, page.limit + 1)
        ) as Array<ReadonlyArray<unknown>>
        const page_ = pageOf(raw.map(subscriptionRowFromValues), page.limit, (row) => row, renewalCursor)
        const ids = page_.items.map((row) => row.id)
        const items = idChunks(ids).flatMap((chunk) =>
          (
            connection
              .prepare(itemsSql(chunk.length))
              .raw(true)
              .all(tenantId, ...chunk) as Array<ReadonlyArray<unknown>>
          ).map(itemRowFromValues)
        )
        return { ...page_, items: versionedSubscriptions(page_.items, items) }
      })
    }),
  listByCustomer: (tenantId, customerId, page) =>
    Effect.zipRight(
      checkLimit(page),
      client.run({ entity: "subscription" }, (db) => {
        const rows = db
          .select()
          .from(subscriptions)
          .where(
            and(
              eq(subscriptions.tenantId, tenantId),
              eq(subscriptions.customerId, customerId),
              page.after === undefined ? undefined : gt(subscriptions.id, page.after)
            )
          )
          .orderBy(asc(subscriptions.id))
          .limit(page.limit + 1)
          .all()
        const page_ = pageOf(
          rows,
          page.limit,
          (row) => row,
          (row) => row.id
        )
        return { ...page_, items: withItems(db, tenantId, page_.items) }
      })
    )
})
