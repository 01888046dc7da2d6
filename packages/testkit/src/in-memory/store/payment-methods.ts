/**
 * Saved payment methods. The default of each (customer, gateway) is a pointer in `uniques`, so there is
 * never more than one; every write below leaves exactly one while the pair has methods.
 */
import {
  checkPaymentMethod,
  type PaymentMethodRepository,
  type SavedPaymentMethod,
  StoreError
} from "@ezscale/core"
import { Effect, Either } from "effect"
import type { Db } from "./db"
import { key, rowsOf, type State } from "./state"

const defaultKey = (tenantId: string, method: Pick<SavedPaymentMethod, "customerId" | "gateway">) =>
  key(tenantId, "payment-method-default", method.customerId, method.gateway)

const tokenKey = (tenantId: string, method: Pick<SavedPaymentMethod, "gateway" | "gatewayMethodId">) =>
  key(tenantId, "payment-method-token", method.gateway, method.gatewayMethodId)

const withFlag = (state: State, tenantId: string, method: SavedPaymentMethod): SavedPaymentMethod => ({
  ...method,
  isDefault: state.tables.uniques.get(defaultKey(tenantId, method)) === method.id
})

const byId = (a: SavedPaymentMethod, b: SavedPaymentMethod) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

export const paymentMethodRepository = (db: Db): PaymentMethodRepository => {
  const find = (state: State, tenantId: string, methodId: string) => {
    const method = state.tables.paymentMethods.get(key(tenantId, methodId))
    return method === undefined
      ? Effect.fail(StoreError.notFound("payment_method", methodId))
      : Effect.succeed(method)
  }
  return {
    get: (tenantId, methodId) =>
      db.run((state) => Effect.map(find(state, tenantId, methodId), (m) => withFlag(state, tenantId, m))),
    list: (tenantId, customerId) =>
      db.run((state) =>
        Effect.succeed(
          rowsOf(state.tables.paymentMethods, tenantId, (m) => m.customerId === customerId)
            .sort(byId)
            .map((m) => withFlag(state, tenantId, m))
        )
      ),
    insert: (tenantId, method) =>
      Either.match(checkPaymentMethod(method), {
        onLeft: Effect.fail,
        onRight: (valid) =>
          db.run((state) => {
            const { tables } = state
            if (tables.paymentMethods.has(key(tenantId, valid.id))) {
              return Effect.fail(StoreError.conflict("payment_method", valid.id, "id exists"))
            }
            const token = tokenKey(tenantId, valid)
            if (tables.uniques.has(token)) {
              return Effect.fail(StoreError.conflict("payment_method", valid.gatewayMethodId, "token exists"))
            }
            tables.uniques.set(token, valid.id)
            tables.paymentMethods.set(key(tenantId, valid.id), valid)
            const pointer = defaultKey(tenantId, valid)
            if (valid.isDefault || !tables.uniques.has(pointer)) tables.uniques.set(pointer, valid.id)
            return Effect.succeed(withFlag(state, tenantId, valid))
          })
      }),
    remove: (tenantId, methodId) =>
      db.run((state) =>
        Effect.map(find(state, tenantId, methodId), (method) => {
          const { tables } = state
          tables.paymentMethods.delete(key(tenantId, methodId))
          tables.uniques.delete(tokenKey(tenantId, method))
          const pointer = defaultKey(tenantId, method)
          if (tables.uniques.get(pointer) !== methodId) return
          const heir = rowsOf(
            tables.paymentMethods,
            tenantId,
            (m) => m.customerId === method.customerId && m.gateway === method.gateway
          )
            .sort(byId)
            .pop()
          if (heir === undefined) tables.uniques.delete(pointer)
          else tables.uniques.set(pointer, heir.id)
        })
      ),
    setDefault: (tenantId, methodId) =>
      db.run((state) =>
        Effect.map(find(state, tenantId, methodId), (method) => {
          state.tables.uniques.set(defaultKey(tenantId, method), method.id)
          return withFlag(state, tenantId, method)
        })
      )
  }
}
