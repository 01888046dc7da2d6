/**
 * `Ids` — where every id in the system comes from. Core never calls `crypto` or `Math.random`: engine
 * programs ask this port, so tests get predictable ids and adapters choose the format.
 *
 * Guarantees an adapter must give:
 * - unique: no two calls ever return the same id (within a process and across processes, given the
 *   adapter's randomness or node id);
 * - time-ordered: ids are ULID / UUIDv7-like — their string order (plain `<` on strings) is the order of
 *   their creation time, and strictly monotonic within one process: an id sorts after every id handed out
 *   before it by the same instance, even within the same millisecond or when the clock stands still;
 * - `next(prefix)` returns `${prefix}_${id}` (e.g. `inv_01J…`), so an id says what it names; ids with the
 *   same prefix compare in creation order.
 *
 * Errors: none — generating an id cannot fail (an adapter that can run out treats it as a defect).
 */
import { Context, type Effect } from "effect"

export interface IdsService {
  readonly next: (prefix?: string) => Effect.Effect<string>
}

export class Ids extends Context.Tag("@ezscale/core/Ids")<Ids, IdsService>() {}
