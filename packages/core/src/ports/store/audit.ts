/**
 * The audit log: who did what to which record, and when — staff voiding an invoice, a customer changing
 * their plan, the billing run suspending a service. Append-only: the port has no way to change or remove
 * an entry, so the log only grows.
 */
import type { Instant } from "../../calendar/zone"
import type { Json, Page, PageRequest } from "../common"
import type { Op } from "./repositories"

/** Who acted: a staff member, a customer, an API key, or the system itself (a job, the billing run). */
export interface AuditActor {
  readonly kind: "staff" | "customer" | "api_key" | "system"
  /** The staff user, customer or key id; for `system`, what ran (`billing-run`, `dunning`). */
  readonly id: string
}

export interface AuditEntryInput {
  readonly actor: AuditActor
  /** What was done, `noun.verb`: `invoice.voided`, `subscription.plan_changed`, `service.suspended`. */
  readonly action: string
  /** The record acted on: its type (`invoice`, `subscription`...) and id. */
  readonly targetType: string
  readonly targetId: string
  /** What a reader needs to understand the change (before / after values, a reason); never a secret. */
  readonly details: Json
  readonly at: Instant
}

/** An entry as stored, with its store-made id. */
export interface AuditEntry extends AuditEntryInput {
  readonly id: string
}

/** Only the entries about one record. */
export interface AuditTarget {
  readonly type: string
  readonly id: string
}

/**
 * The tenant's audit log. `append` belongs in the transaction of the change it records, so an entry
 * exists exactly when the change does. Listings are newest first: by `at` descending, then by id
 * descending (ids are store-made and time-ordered), in keyset pages; entries appended meanwhile never
 * shift a page.
 */
export interface AuditRepository {
  readonly append: (tenantId: string, entry: AuditEntryInput) => Op<AuditEntry>
  /** Every entry of the tenant, or only those about `target`, newest first. */
  readonly list: (tenantId: string, page: PageRequest, target?: AuditTarget) => Op<Page<AuditEntry>>
}
