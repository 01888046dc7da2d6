/** Tenants, customers, catalogs and subscriptions on MySQL / MariaDB. */
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
import { Effect } from "effect"
import type { RowDataPacket } from "mysql2/promise"
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
  customerRowFromDriver,
  customersSql,
  duePageSql,
  itemRowFromDriver,
  itemsSql,
  subscriptionRowFromDriver,
  versionedSubscriptions
} from "../../store-sql/renewals"
import { sameTenant } from "../../store-sql/tenant"
import type { MysqlClient } from "../client"
import { catalogs, customers, subscriptionItems, subscriptions, tenants } from "../schema"
import { affectedRows, found, unlessDuplicate } from "./support"

export const tenantRepository = (client: MysqlClient): TenantRepository => ({
  get: (tenantId) =>
    client
      .run({ entity: "tenant", key: tenantId }, (db) =>
        db.select().from(tenants).where(eq(tenants.tenantId, tenantId)).limit(1)
      )
      .pipe(
        Effect.flatMap((rows) => found("tenant", tenantId)(rows[0])),
        Effect.map(tenantFromRow)
      ),
  put: (tenant) =>
    client.run({ entity: "tenant", key: tenant.id }, async (db) => {
      const row = tenantToRow(tenant)
      await db
        .insert(tenants)
        .values(row)
        .onDuplicateKeyUpdate({ set: { name: row.name, settings: row.settings } })
    })
})

export const customerRepository = (client: MysqlClient): CustomerRepository => ({
  get: (tenantId, customerId) =>
    client
      .run({ entity: "customer", key: customerId }, (db) =>
        db
          .select()
          .from(customers)
          .where(and(eq(customers.tenantId, tenantId), eq(customers.id, customerId)))
          .limit(1)
      )
      .pipe(
        Effect.flatMap((rows) => found("customer", customerId)(rows[0])),
        Effect.map(customerFromRow)
      ),
  // hand-written: a billing run reads the customers of every page
  getMany: (tenantId, customerIds) =>
    Effect.forEach(idChunks(customerIds), (chunk) =>
      client.query<Array<RowDataPacket>>({ entity: "customer" }, customersSql(chunk.length), [
        tenantId,
        ...chunk
      ])
    ).pipe(
      Effect.map((chunks) =>
        inAskedOrder(customerIds, chunks.flat().map(customerRowFromDriver), (row) => row.id).map(
          customerFromRow
        )
      )
    ),
  insert: (tenantId, customer) =>
    Effect.zipRight(
      sameTenant(tenantId, customer, "customer"),
      unlessDuplicate(
        client.run({ entity: "customer", key: customer.id }, async (db) => {
          await db.insert(customers).values(customerToRow(customer))
        }),
        (key) =>
          key === "primary"
            ? Effect.fail(StoreError.conflict("customer", customer.id, "id exists"))
            : undefined
      )
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
        })
        .pipe(
          Effect.flatMap((result) =>
            affectedRows(result) === 0
              ? Effect.fail(StoreError.notFound("customer", customer.id))
              : Effect.void
          )
        )
    ),
  list: (tenantId, page) =>
    Effect.zipRight(
      checkLimit(page),
      client
        .run({ entity: "customer" }, (db) =>
          db
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
        )
        .pipe(Effect.map((rows) => pageOf(rows, page.limit, customerFromRow, (row) => row.id)))
    )
})

export const catalogRepository = (client: MysqlClient): CatalogRepository => ({
  get: (tenantId) =>
    client
      .run({ entity: "catalog", key: tenantId }, (db) =>
        db.select().from(catalogs).where(eq(catalogs.tenantId, tenantId)).limit(1)
      )
      .pipe(
        Effect.flatMap((rows) => found("catalog", tenantId)(rows[0])),
        Effect.map((row) => decodeDocument<Catalog>(row.document))
      ),
  put: (tenantId, catalog) =>
    client.run({ entity: "catalog", key: tenantId }, async (db) => {
      const document = encodeDocument(catalog)
      await db.insert(catalogs).values({ tenantId, document }).onDuplicateKeyUpdate({ set: { document } })
    })
})

/** The subscriptions of `rows` with their items, read with one query. */
const withItems = (
  client: MysqlClient,
  tenantId: string,
  rows: ReadonlyArray<SubscriptionRow>
): Effect.Effect<Array<Versioned<Subscription>>, StoreError> =>
  rows.length === 0
    ? Effect.succeed([])
    : client
        .run({ entity: "subscription" }, (db) =>
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
        )
        .pipe(
          Effect.map((itemRows) => {
            const items = groupBy(itemRows, (item) => item.subscriptionId)
            return rows.map((row) => ({
              value: subscriptionFromRows(row, items.get(row.id) ?? []),
              version: row.version
            }))
          })
        )

const insertItems = (client: MysqlClient, subscription: Subscription) => {
  const items = subscriptionItemsToRows(subscription)
  return items.length === 0
    ? Effect.void
    : client.run({ entity: "subscription", key: subscription.id }, async (db) => {
        await db.insert(subscriptionItems).values(items)
      })
}

/** A page of subscription rows with their items. */
const subscriptionPage = (
  client: MysqlClient,
  tenantId: string,
  rows: ReadonlyArray<SubscriptionRow>,
  limit: number,
  cursorOf: (row: SubscriptionRow) => string
) => {
  const page = pageOf(rows, limit, (row) => row, cursorOf)
  return Effect.map(withItems(client, tenantId, page.items), (items) => ({ ...page, items }))
}

export const subscriptionRepository = (client: MysqlClient): SubscriptionRepository => ({
  get: (tenantId, subscriptionId) =>
    client
      .run({ entity: "subscription", key: subscriptionId }, (db) =>
        db
          .select()
          .from(subscriptions)
          .where(and(eq(subscriptions.tenantId, tenantId), eq(subscriptions.id, subscriptionId)))
          .limit(1)
      )
      .pipe(
        Effect.flatMap((rows) => found("subscription", subscriptionId)(rows[0])),
        Effect.flatMap((row) => withItems(client, tenantId, [row])),
        Effect.flatMap((items) => found("subscription", subscriptionId)(items[0]))
      ),
  insert: (tenantId, subscription) =>
    Effect.zipRight(
      sameTenant(tenantId, subscription, "subscription"),
      unlessDuplicate(
        client.atomically(
          Effect.gen(function* () {
            yield* client.run({ entity: "subscription", key: subscription.id }, async (db) => {
              await db.insert(subscriptions).values({ ...subscriptionToRow(subscription), version: 1 })
            })
            yield* insertItems(client, subscription)
            return { value: subscription, version: 1 }
          })
        ),
        (key) =>
          key === "primary"
            ? Effect.fail(StoreError.conflict("subscription", subscription.id, "id exists"))
            : undefined
      )
    ),
  update: (tenantId, subscription, expectedVersion) =>
    Effect.zipRight(
      sameTenant(tenantId, subscription, "subscription"),
      client.atomically(
        Effect.gen(function* () {
          const context = { entity: "subscription", key: subscription.id }
          const { tenantId: _tenant, id: _id, ...columns } = subscriptionToRow(subscription)
          const where = and(eq(subscriptions.tenantId, tenantId), eq(subscriptions.id, subscription.id))
          const updated = yield* client.run(context, (db) =>
            db
              .update(subscriptions)
              .set({ ...columns, version: sql`${subscriptions.version} + 1` })
              .where(and(where, eq(subscriptions.version, expectedVersion)))
          )
          if (affectedRows(updated) === 0) {
            const current = yield* client.run(context, (db) =>
              db.select({ version: subscriptions.version }).from(subscriptions).where(where).limit(1)
            )
            const actual = current[0]?.version
            return yield* actual === undefined
              ? Effect.fail(StoreError.notFound("subscription", subscription.id))
              : Effect.fail(
                  new VersionConflict({
                    entity: "subscription",
                    id: subscription.id,
                    expected: expectedVersion,
                    actual
                  })
                )
          }
          yield* client.run(context, (db) =>
            db
              .delete(subscriptionItems)
              .where(
                and(
                  eq(subscriptionItems.tenantId, tenantId),
                  eq(subscriptionItems.subscriptionId, subscription.id)
                )
              )
          )
          yield* insertItems(client, subscription)
          return { value: subscription, version: expectedVersion + 1 }
        })
      )
    ),
  // hand-written: the billing run's read of every page
  dueForRenewal: (tenantId, before, page) =>
    Effect.gen(function* () {
      yield* checkLimit(page)
      const after = page.after === undefined ? undefined : yield* parseRenewalCursor(page.after)
      const context = { entity: "subscription" }
      const raw = yield* after === undefined
        ? client.query<Array<RowDataPacket>>(context, duePageSql.first, [tenantId, before, page.limit + 1])
        : client.query<Array<RowDataPacket>>(context, duePageSql.after, [
            tenantId,
            before,
            after.nextRenewalAt,
            after.nextRenewalAt,
            after.id,
            page.limit + 1
          ])
      const page_ = pageOf(raw.map(subscriptionRowFromDriver), page.limit, (row) => row, renewalCursor)
      const items = yield* Effect.forEach(idChunks(page_.items.map((row) => row.id)), (chunk) =>
        client.query<Array<RowDataPacket>>(context, itemsSql(chunk.length), [tenantId, ...chunk])
      )
      return { ...page_, items: versionedSubscriptions(page_.items, items.flat().map(itemRowFromDriver)) }
    }),
  listByCustomer: (tenantId, customerId, page) =>
    Effect.gen(function* () {
      yield* checkLimit(page)
      const rows = yield* client.run({ entity: "subscription" }, (db) =>
        db
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
      )
      return yield* subscriptionPage(client, tenantId, rows, page.limit, (row) => row.id)
    })
})
