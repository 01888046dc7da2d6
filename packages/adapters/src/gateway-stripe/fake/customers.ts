/** Customers and payment methods (attach, detach, list, the default in `invoice_settings`). */
import type { FormObject } from "./form"
import {
  customerObject,
  errorBody,
  type Json,
  listObject,
  type Metadata,
  searchResultObject
} from "./objects"
import { AccountState, type Call, invalid, metadataOf, missing, type Reply, string } from "./state"

export class CustomerState extends AccountState {
  // --- customers -------------------------------------------------------------------------------------

  createCustomer(call: Call): Reply {
    const customer = customerObject({
      id: this.id("cus"),
      created: this.seconds(),
      email: string(call.params.email) ?? null,
      name: string(call.params.name) ?? null,
      description: string(call.params.description) ?? null,
      metadata: metadataOf(call.params.metadata)
    })
    this.customers.set(customer.id as string, customer)
    this.emit("customer.created", customer, call)
    return { status: 200, body: customer }
  }

  retrieveCustomer(call: Call): Reply {
    const customer = this.customers.get(call.path.customer ?? "")
    return customer === undefined
      ? missing("customer", call.path.customer ?? "", "id", 404)
      : { status: 200, body: customer }
  }

  updateCustomer(call: Call): Reply {
    const id = call.path.customer ?? ""
    const customer = this.customers.get(id)
    if (customer === undefined) return missing("customer", id, "id", 404)
    const settings = call.params.invoice_settings
    const defaultMethod =
      typeof settings === "object" && !Array.isArray(settings)
        ? string((settings as FormObject).default_payment_method)
        : undefined
    if (defaultMethod !== undefined && defaultMethod !== "") {
      const method = this.methods.get(defaultMethod)
      if (method === undefined || method.object.customer !== id) {
        return missing("PaymentMethod", defaultMethod, "invoice_settings[default_payment_method]")
      }
    }
    const previous: Json = {}
    if (defaultMethod !== undefined) {
      const invoiceSettings = customer.invoice_settings as Json
      previous.invoice_settings = { default_payment_method: invoiceSettings.default_payment_method }
      invoiceSettings.default_payment_method = defaultMethod === "" ? null : defaultMethod
    }
    for (const field of ["email", "name", "description"] as const) {
      const value = string(call.params[field])
      if (value !== undefined) {
        previous[field] = customer[field]
        customer[field] = value
      }
    }
    if (call.params.metadata !== undefined) {
      previous.metadata = customer.metadata
      customer.metadata = { ...(customer.metadata as Metadata), ...metadataOf(call.params.metadata) }
    }
    this.emit("customer.updated", customer, call, previous)
    return { status: 200, body: customer }
  }

  searchCustomers(call: Call): Reply {
    const matches = this.search(call, [...this.customers.values()])
    return { status: 200, body: searchResultObject("/v1/customers/search", matches) }
  }

  /** Stripe's search language, the part we use: `metadata['key']:'value'` clauses joined by AND. */
  attachMethod(call: Call): Reply {
    const customer = string(call.params.customer)
    if (customer === undefined)
      throw invalid("Missing required param: customer.", "customer", "parameter_missing")
    if (!this.customers.has(customer)) return missing("customer", customer, "customer")
    const method = this.resolveMethod(call.path.payment_method ?? "")
    if (method === undefined)
      return missing("PaymentMethod", call.path.payment_method ?? "", "payment_method", 404)
    if (method.object.customer !== null && method.object.customer !== customer) {
      return {
        status: 400,
        body: errorBody(
          {
            type: "invalid_request_error",
            message: "The payment method you provided has already been attached to a customer."
          },
          call.requestId
        )
      }
    }
    if (method.object.customer !== customer) this.attach(method, customer, call)
    return { status: 200, body: method.object }
  }

  detachMethod(call: Call): Reply {
    const id = call.path.payment_method ?? ""
    const method = this.methods.get(id)
    if (method === undefined) return missing("PaymentMethod", id, "payment_method", 404)
    const customer = method.object.customer
    if (customer === null) {
      return {
        status: 400,
        body: errorBody(
          {
            type: "invalid_request_error",
            message:
              "The payment method you provided is not attached to a customer so detachment is impossible."
          },
          call.requestId
        )
      }
    }
    method.object.customer = null
    const owner = this.customers.get(customer as string)
    const settings = owner?.invoice_settings as Json | undefined
    if (settings !== undefined && settings.default_payment_method === id)
      settings.default_payment_method = null
    this.emit("payment_method.detached", method.object, call, { customer })
    return { status: 200, body: method.object }
  }

  retrieveMethod(call: Call): Reply {
    const method = this.methods.get(call.path.payment_method ?? "")
    return method === undefined
      ? missing("PaymentMethod", call.path.payment_method ?? "", "payment_method", 404)
      : { status: 200, body: method.object }
  }

  listCustomerMethods(call: Call): Reply {
    const customer = call.path.customer ?? ""
    if (!this.customers.has(customer)) return missing("customer", customer, "customer", 404)
    const type = call.query.get("type")
    const data = [...this.methods.values()]
      .map((method) => method.object)
      .filter((object) => object.customer === customer && (type === null || object.type === type))
      .sort((a, b) => (b.created as number) - (a.created as number))
    return { status: 200, body: listObject(`/v1/customers/${customer}/payment_methods`, data) }
  }
}
