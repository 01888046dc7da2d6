export * from "./customer"
