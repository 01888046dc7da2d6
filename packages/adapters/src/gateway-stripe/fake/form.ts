/**
 * Stripe's request encoding: `application/x-www-form-urlencoded` with bracket notation for nesting
 * (`metadata[invoice]=inv_1`, `expand[0]=customer`, `payment_method_types[]=card`). Values stay strings,
 * as they arrive; each endpoint reads the types it expects.
 */

export type FormValue = string | FormObject | ReadonlyArray<FormValue>
export interface FormObject {
  readonly [key: string]: FormValue
}

type Mutable = { [key: string]: MutableValue }
type MutableValue = string | Mutable | Array<MutableValue>

const pathOf = (name: string): ReadonlyArray<string> => {
  const open = name.indexOf("[")
  if (open < 0) return [name]
  const head = name.slice(0, open)
  const rest = [...name.slice(open).matchAll(/\[([^\]]*)\]/g)].map((match) => match[1] ?? "")
  return [head, ...rest]
}

const assign = (target: Mutable | Array<MutableValue>, path: ReadonlyArray<string>, value: string) => {
  const [key, ...rest] = path
  if (key === undefined) return
  const slot = Array.isArray(target) ? (key === "" ? target.length : Number(key)) : key
  const read = (): MutableValue | undefined =>
    Array.isArray(target) ? target[slot as number] : (target as Mutable)[slot as string]
  const write = (next: MutableValue) => {
    if (Array.isArray(target)) target[slot as number] = next
    else (target as Mutable)[slot as string] = next
  }
  if (rest.length === 0) {
    write(value)
    return
  }
  let child = read()
  if (child === undefined || typeof child === "string") {
    child = rest[0] === "" || /^\d+$/.test(rest[0] ?? "") ? [] : {}
    write(child)
  }
  assign(child, rest, value)
}

/** Reads a form body into nested objects and arrays (`a[0]=x&a[1]=y` -> `{ a: ["x", "y"] }`). */
export const parseForm = (body: string): FormObject => {
  const root: Mutable = {}
  for (const [name, value] of new URLSearchParams(body)) assign(root, pathOf(name), value)
  return root
}

/** A canonical string for comparing the parameters of two requests (idempotency). */
export const canonicalForm = (body: string): string =>
  [...new URLSearchParams(body)]
    .map(([name, value]) => `${name}=${value}`)
    .sort()
    .join("&")
