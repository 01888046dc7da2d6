/** The whole fake account: refunds (bounded, failing on demand), disputes, and the events list. */
import { IntentState } from "./intents"
import { disputeObject, errorBody, type Json, listObject, type Metadata, refundObject } from "./objects"
import { type Call, invalid, metadataOf, missing, type Reply, string } from "./state"

export class FakeStripeState extends IntentState {
  // --- refunds ---------------------------------------------------------------------------------------

  createRefund(call: Call): Reply {
    const intentId = string(call.params.payment_intent)
    const chargeId = string(call.params.charge)
    if (intentId === undefined && chargeId === undefined) {
      throw invalid(
        "One of the following params should be provided for this request: payment_intent or charge.",
        "payment_intent",
        "parameter_missing"
      )
    }
    let charge: Json | undefined
    if (intentId !== undefined) {
      const intent = this.paymentIntents.get(intentId)
      if (intent === undefined) return missing("payment_intent", intentId, "payment_intent")
      charge = intent.status === "succeeded" ? this.charges.get(intent.latest_charge as string) : undefined
      if (charge === undefined) {
        return {
          status: 400,
          body: errorBody(
            {
              type: "invalid_request_error",
              param: "payment_intent",
              message: `This PaymentIntent (${intentId}) does not have a successful charge to refund.`
            },
            call.requestId
          )
        }
      }
    } else {
      charge = this.charges.get(chargeId ?? "")
      if (charge === undefined) return missing("charge", chargeId ?? "", "charge")
    }
    const remaining = (charge.amount as number) - (charge.amount_refunded as number)
    const amountText = string(call.params.amount)
    if (amountText !== undefined && !/^\d+$/.test(amountText)) {
      throw invalid(`Invalid integer: ${amountText}`, "amount", "parameter_invalid_integer")
    }
    const amount = amountText === undefined ? remaining : Number(amountText)
    if (remaining === 0) {
      return {
        status: 400,
        body: errorBody(
          {
            type: "invalid_request_error",
            code: "charge_already_refunded",
            message: `Charge ${charge.id} has already been refunded.`
          },
          call.requestId
        )
      }
    }
    if (amount < 1 || amount > remaining) {
      return {
        status: 400,
        body: errorBody(
          {
            type: "invalid_request_error",
            param: "amount",
            message: `Refund amount (${amount}) is greater than unrefunded amount on charge (${remaining})`
          },
          call.requestId
        )
      }
    }
    const failing = this.failNextRefund
    this.failNextRefund = undefined
    const refund = refundObject({
      id: this.id("re"),
      created: this.seconds(),
      amount,
      currency: charge.currency as string,
      charge: charge.id as string,
      paymentIntent: charge.payment_intent as string,
      customer: charge.customer as string | null,
      paymentMethod: charge.payment_method as string | null,
      reason: string(call.params.reason) ?? null,
      metadata: metadataOf(call.params.metadata),
      status: failing === undefined ? "succeeded" : "pending"
    })
    this.refunds.set(refund.id as string, refund)
    this.applyRefund(charge, refund, amount, call)
    if (failing !== undefined) this.later(() => this.failRefund(refund.id as string, failing))
    return { status: 200, body: refund }
  }

  protected applyRefund(charge: Json, refund: Json, amount: number, call: Call | undefined): void {
    const previous = { amount_refunded: charge.amount_refunded, refunded: charge.refunded }
    charge.amount_refunded = (charge.amount_refunded as number) + amount
    charge.refunded = charge.amount_refunded === charge.amount
    const list = charge.refunds as Json
    list.data = [...(list.data as Array<Json>).filter((entry) => entry.id !== refund.id), refund].sort(
      (a, b) => (b.created as number) - (a.created as number)
    )
    if (amount > 0) {
      this.emit("refund.created", refund, call)
      this.emit("charge.refunded", charge, call, previous)
    }
  }

  /** The bank returns a refund: it ends `failed` and the money is back on the merchant's balance. */
  failRefund(refundId: string, reason: string): Json {
    const refund = this.refunds.get(refundId)
    if (refund === undefined) throw new Error(`stripe fake: no refund ${refundId}`)
    const charge = this.charges.get(refund.charge as string)
    const previous = { status: refund.status }
    refund.status = "failed"
    refund.failure_reason = reason
    if (charge !== undefined) {
      charge.amount_refunded = (charge.amount_refunded as number) - (refund.amount as number)
      charge.refunded = false
    }
    this.emit("refund.failed", refund, undefined, previous)
    this.emit("refund.updated", refund, undefined, previous)
    return refund
  }

  retrieveRefund(call: Call): Reply {
    const refund = this.refunds.get(call.path.refund ?? "")
    return refund === undefined
      ? missing("refund", call.path.refund ?? "", "refund", 404)
      : { status: 200, body: refund }
  }

  // --- disputes --------------------------------------------------------------------------------------

  openDispute(paymentIntentId: string, reason: string, amount?: number): Json {
    const intent = this.paymentIntents.get(paymentIntentId)
    const charge = intent === undefined ? undefined : this.charges.get(intent.latest_charge as string)
    if (intent === undefined || charge === undefined || charge.status !== "succeeded") {
      throw new Error(`stripe fake: ${paymentIntentId} has no successful charge to dispute`)
    }
    const dispute = disputeObject({
      id: this.id("dp"),
      created: this.seconds(),
      amount: amount ?? (charge.amount as number),
      currency: charge.currency as string,
      charge: charge.id as string,
      paymentIntent: paymentIntentId,
      reason,
      dueBy: this.seconds() + 7 * 86_400
    })
    this.disputes.set(dispute.id as string, dispute)
    charge.disputed = true
    this.emit("charge.dispute.created", dispute, undefined)
    this.emit("charge.dispute.funds_withdrawn", dispute, undefined)
    return dispute
  }

  closeDispute(disputeId: string, outcome: "won" | "lost", call?: Call): Json {
    const dispute = this.disputes.get(disputeId)
    if (dispute === undefined) throw new Error(`stripe fake: no dispute ${disputeId}`)
    const previous = { status: dispute.status }
    dispute.status = outcome
    if (outcome === "won") this.emit("charge.dispute.funds_reinstated", dispute, call)
    this.emit("charge.dispute.closed", dispute, call, previous)
    return dispute
  }

  retrieveDispute(call: Call): Reply {
    const dispute = this.disputes.get(call.path.dispute ?? "")
    return dispute === undefined
      ? missing("dispute", call.path.dispute ?? "", "dispute", 404)
      : { status: 200, body: dispute }
  }

  /** Evidence submitted: the dispute goes under review. */
  updateDispute(call: Call): Reply {
    const dispute = this.disputes.get(call.path.dispute ?? "")
    if (dispute === undefined) return missing("dispute", call.path.dispute ?? "", "dispute", 404)
    const previous = { status: dispute.status }
    if (string(call.params.submit) !== "false" && dispute.status === "needs_response") {
      dispute.status = "under_review"
      const details = dispute.evidence_details as Json
      details.has_evidence = true
      details.submission_count = (details.submission_count as number) + 1
    }
    dispute.metadata = { ...(dispute.metadata as Metadata), ...metadataOf(call.params.metadata) }
    this.emit("charge.dispute.updated", dispute, call, previous)
    return { status: 200, body: dispute }
  }

  /** The merchant accepts the dispute: it is lost. */
  acceptDispute(call: Call): Reply {
    const dispute = this.disputes.get(call.path.dispute ?? "")
    if (dispute === undefined) return missing("dispute", call.path.dispute ?? "", "dispute", 404)
    return { status: 200, body: this.closeDispute(dispute.id as string, "lost", call) }
  }

  // --- events ----------------------------------------------------------------------------------------

  listEvents(call: Call): Reply {
    const type = call.query.get("type")
    const limit = Number(call.query.get("limit") ?? "10")
    const after = call.query.get("starting_after")
    const newestFirst = [...this.events].reverse().filter((stored) => type === null || stored.type === type)
    const start = after === null ? 0 : newestFirst.findIndex((stored) => stored.event.id === after) + 1
    const page = newestFirst.slice(start, start + limit)
    return {
      status: 200,
      body: listObject(
        "/v1/events",
        page.map((stored) => stored.event),
        start + limit < newestFirst.length
      )
    }
  }

  retrieveEvent(call: Call): Reply {
    const stored = this.events.find((entry) => entry.event.id === call.path.id)
    return stored === undefined
      ? missing("event", call.path.id ?? "", "id", 404)
      : { status: 200, body: stored.event }
  }
}
