import type { Effect } from "effect"
import type { State } from "./state"

/** Runs one store operation against the current tables, atomically (inside the caller's transaction, if any). */
export interface Db {
  readonly run: <X extends Effect.Effect<unknown, unknown>>(
    operation: (state: State) => X
  ) => Effect.Effect<Effect.Effect.Success<X>, Effect.Effect.Error<X>>
}
