/**
 * JSON that never throws: what `JSON.stringify` cannot encode is encoded
 * in a documented, readable way instead.
 *
 * - a `BigInt` becomes its decimal string (`12n` → `"12"`);
 * - a circular reference becomes the string `"[Circular]"`;
 * - an `Error` becomes `{ "name": ..., "message": ... }`;
 * - a function or symbol is left out of objects and becomes `null` in arrays,
 *   as `JSON.stringify` does;
 * - a `toJSON` that throws becomes the string `"[Unserializable]"`.
 *
 * The result is always one line: JSON escapes CR and LF inside strings.
 */
export function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, errorsAsObjects) ?? "null";
  } catch {
    return JSON.stringify(toSafe(value, new Set())) ?? "null";
  }
}

function errorsAsObjects(_key: string, value: unknown): unknown {
  return value instanceof Error ? { name: value.name, message: value.message } : value;
}

function toSafe(value: unknown, ancestors: Set<object>): unknown {
  if (typeof value === "bigint") return value.toString();
  if (value === null || typeof value !== "object") return value;
  if (ancestors.has(value)) return "[Circular]";
  if (value instanceof Error) return { name: value.name, message: value.message };
  let plain: unknown = value;
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") {
    try {
      plain = (value as { toJSON(): unknown }).toJSON();
    } catch {
      return "[Unserializable]";
    }
    if (plain === null || typeof plain !== "object") return toSafe(plain, ancestors);
  }
  ancestors.add(value);
  let out: unknown;
  if (Array.isArray(plain)) {
    out = plain.map((item) => toSafe(item, ancestors));
  } else {
    const obj: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(plain as object)) obj[k] = toSafe(v, ancestors);
    out = obj;
  }
  ancestors.delete(value);
  return out;
}
