import { Effect } from "effect"

/**
 * A record naming another tenant than the one the call is scoped to is a bug in the caller (the port
 * says adapters die on it): nothing is written.
 */
export const sameTenant = (
  tenantId: string,
  record: { readonly tenantId: string },
  what: string
): Effect.Effect<void> =>
  record.tenantId === tenantId
    ? Effect.void
    : Effect.dieMessage(`${what} of tenant ${record.tenantId} written in the scope of tenant ${tenantId}`)
