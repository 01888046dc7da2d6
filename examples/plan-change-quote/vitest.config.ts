import { project } from "../../vitest.shared"

export default project("example-plan-change-quote")
