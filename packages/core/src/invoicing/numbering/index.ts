export * from "./errors"
export * from "./numbering"
