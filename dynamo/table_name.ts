/** DynamoDB's rule for table names: 3 to 255 of `A-Z a-z 0-9 _ - .`. */
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;

/**
 * Checks a DynamoDB table name before any request is made; a bad one is a
 * TypeError that names the argument and the allowed form.
 */
export function checkTableName(table: unknown, name: string): string {
  if (typeof table !== "string" || !TABLE_NAME.test(table)) {
    const got = typeof table === "string" ? JSON.stringify(table) : typeof table;
    throw new TypeError(
      `${name} must be a DynamoDB table name: 3 to 255 of A-Z a-z 0-9 _ - . (got ${got})`,
    );
  }
  return table;
}
