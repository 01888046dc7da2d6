export * from "./codes"
