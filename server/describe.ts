/** How error messages name a value they refuse. */

/** `"null"`, `"an array"` or the value's `typeof`. */
export function typeName(value: unknown): string {
  return value === null ? "null" : Array.isArray(value) ? "an array" : typeof value;
}

/** A string quoted as JSON; anything else by {@linkcode typeName}. */
export function describe(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : typeName(value);
}
