#!/usr/bin/env node
/**
 * Adds lockfile entries for platform-specific optional packages the registry mirror of this workplace
 * does not serve (the darwin / win32 / musl builds of Biome and Rollup, say). `npm install` here skips
 * what it cannot fetch, and then `npm ci` refuses the lockfile as out of sync. The entries carry the
 * platform (`os`, `cpu`, `libc`) read from the package name, so npm never tries to install them on a
 * machine they do not fit. Run after `npm install`: `npm run lockfile:complete`.
 */
import { readFileSync, writeFileSync } from "node:fs"

const path = new URL("../package-lock.json", import.meta.url)
const lock = JSON.parse(readFileSync(path, "utf8"))
const packages = lock.packages

const oses = [
  "android",
  "darwin",
  "freebsd",
  "linux",
  "netbsd",
  "openbsd",
  "openharmony",
  "sunos",
  "win32",
  "aix"
]
const cpus = [
  "arm64",
  "x64",
  "ia32",
  "arm",
  "riscv64",
  "ppc64",
  "s390x",
  "loong64",
  "mips64el",
  "loongarch64"
]

const platformOf = (name) => {
  const parts = name.split("/").pop().split("-")
  const os = parts.find((part) => oses.includes(part))
  const cpu = parts.find((part) => cpus.includes(part)) ?? (parts.includes("eabihf") ? "arm" : undefined)
  const libc =
    parts.includes("musl") || parts.includes("musleabihf")
      ? "musl"
      : parts.includes("gnu")
        ? "glibc"
        : undefined
  return { os, cpu, libc }
}

let added = 0
for (const [location, entry] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`
    if (packages[key] !== undefined || packages[`${location}/${key}`] !== undefined) continue
    const { os, cpu, libc } = platformOf(name)
    if (os === undefined || cpu === undefined) continue // not a platform build: leave it to npm
    packages[key] = {
      version,
      ...(entry.dev ? { dev: true } : {}),
      optional: true,
      os: [os],
      cpu: [cpu],
      ...(libc === undefined ? {} : { libc: [libc] })
    }
    added++
  }
}

lock.packages = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a < b ? -1 : a > b ? 1 : 0))
)
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`)
console.log(`package-lock.json: ${added} platform entries added`)
