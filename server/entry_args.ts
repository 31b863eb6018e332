/**
 * What `JobLogger.log()` and `JobLogger.emit()` accept: each check throws a
 * TypeError naming the argument and what it must be, before anything is
 * written.
 */
import { isLevel, LEVELS, RESERVED_EVENTS } from "./wire.ts";
import { describe, typeName } from "./describe.ts";

/**
 * Checks the arguments of `log(message, level)`: a string message and one of
 * the {@linkcode LEVELS}.
 */
export function checkLogArgs(message: unknown, level: unknown): void {
  if (typeof message !== "string") {
    throw new TypeError(`JobLogger.log: message must be a string, got ${typeName(message)}`);
  }
  if (!isLevel(level)) {
    throw new TypeError(
      `JobLogger.log: level must be one of ${LEVELS.map((l) => `"${l}"`).join(", ")}; got ${
        describe(level)
      }`,
    );
  }
}

/**
 * Checks the arguments of `emit(event, fields)`: a non-empty event name other
 * than the reserved `"done"` and `"missed"`, and a plain object of fields.
 */
export function checkEmitArgs(event: unknown, fields: unknown): void {
  if (typeof event !== "string" || event === "") {
    throw new TypeError(
      `JobLogger.emit: event must be a non-empty string, got ${describe(event)}`,
    );
  }
  if (RESERVED_EVENTS.includes(event)) {
    throw new TypeError(
      `JobLogger.emit: event "${event}" is reserved by the stream (${
        RESERVED_EVENTS.join(", ")
      }); use close() to end it and progress() to report how far it is`,
    );
  }
  if (fields === null || typeof fields !== "object" || Array.isArray(fields)) {
    throw new TypeError(`JobLogger.emit: fields must be an object, got ${typeName(fields)}`);
  }
}
