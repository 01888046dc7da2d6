import { Layer } from "effect"
import { storeContract } from "../contracts"
import { InMemoryIds } from "./ids"
import { InMemoryStore } from "./store/store"

storeContract("in-memory", Layer.merge(InMemoryStore.layer, InMemoryIds.layer))
