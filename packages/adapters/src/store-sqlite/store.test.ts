import { InMemoryIds } from "@ezscale/testkit"
import { storeContract } from "@ezscale/testkit/contracts"
import { Layer } from "effect"
import { SqliteStore } from "./index"

storeContract(
  "sqlite (:memory:)",
  Layer.merge(Layer.orDie(SqliteStore.layer({ filename: ":memory:" })), InMemoryIds.layer)
)
