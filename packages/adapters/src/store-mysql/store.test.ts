import { InMemoryIds } from "@ezscale/testkit"
import { storeContract } from "@ezscale/testkit/contracts"
import { Layer } from "effect"
import { describe, it } from "vitest"
import { mysqlSkipReason, testMysqlStore } from "../../test/mysql-database"

if (mysqlSkipReason === undefined) {
  storeContract("mysql (MariaDB / MySQL)", Layer.merge(testMysqlStore("contract"), InMemoryIds.layer))
} else {
  describe.skip(`Store contract: mysql — skipped: ${mysqlSkipReason}`, () => {
    it("runs the store contract against MySQL / MariaDB", () => {})
  })
}
