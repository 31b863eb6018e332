/**
 * How the DynamoDB store tells errors apart: the ones worth retrying
 * (throttling, network, outage) and the ones a retry cannot fix (no
 * credentials, access denied, a missing or wrong table), which it reports
 * at once with a message that says what to do.
 *
 * @module
 */

/**
 * An error of the DynamoDB store. `retryable` tells whether the store keeps
 * trying; `cause` is the SDK's error.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DynamoStoreError } from "@streamator/core/dynamo";
 * const error = new DynamoStoreError("table missing", { retryable: false });
 * assert.equal(error.retryable, false);
 * assert.equal(error.name, "DynamoStoreError");
 * ```
 */
export class DynamoStoreError extends Error {
  /** Always `"DynamoStoreError"`. */
  override name = "DynamoStoreError";
  /** Whether waiting and retrying may fix it. */
  readonly retryable: boolean;

  /** An error with what went wrong, whether a retry may fix it, and the SDK's error as `cause`. */
  constructor(message: string, options: { retryable: boolean; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.retryable = options.retryable;
  }
}

/** SDK error names that no retry fixes. */
const PERMANENT = new Set([
  "CredentialsProviderError",
  "UnrecognizedClientException",
  "InvalidSignatureException",
  "MissingAuthenticationTokenException",
  "AccessDeniedException",
  "ValidationException",
  "ResourceNotFoundException",
  "UnknownOperationException",
  "NotCapable",
  "PermissionDenied",
]);

/**
 * Wraps an SDK error from an operation on `table` into a
 * {@linkcode DynamoStoreError} that says what went wrong and what to do.
 */
export function explain(error: unknown, table: string, operation: string): DynamoStoreError {
  if (error instanceof DynamoStoreError) return error;
  const name = error instanceof Error ? error.name : "Error";
  const detail = error instanceof Error ? error.message : String(error);
  const where = `DynamoStore: ${operation} on table "${table}" failed`;
  let message: string;
  if (/region is missing/i.test(detail)) {
    return new DynamoStoreError(
      `${where}: no AWS region was given. Set AWS_REGION (or AWS_DEFAULT_REGION via the AWS ` +
        `config), or pass options.region, or options.client with a region`,
      { retryable: false, cause: error },
    );
  }
  switch (name) {
    case "CredentialsProviderError":
      message = `${where}: no AWS credentials were found. Set AWS_ACCESS_KEY_ID and ` +
        `AWS_SECRET_ACCESS_KEY (or AWS_PROFILE), or pass options.credentials or options.client ` +
        `(${detail})`;
      break;
    case "UnrecognizedClientException":
    case "InvalidSignatureException":
    case "MissingAuthenticationTokenException":
      message = `${where}: DynamoDB refused the AWS credentials (${name}: ${detail})`;
      break;
    case "AccessDeniedException":
      message = `${where}: the credentials may not call dynamodb:${operation} on it ` +
        `(AccessDeniedException: ${detail})`;
      break;
    case "ResourceNotFoundException":
      message = `${where}: the table does not exist (create it, or let the store create it ` +
        `with createTable: true and credentials that may call dynamodb:CreateTable)`;
      break;
    case "NotCapable":
    case "PermissionDenied":
      message = `${where}: the runtime denied a permission the AWS SDK needs (${detail})`;
      break;
    default:
      message = `${where}: ${name}: ${detail}`;
  }
  return new DynamoStoreError(message, { retryable: !PERMANENT.has(name), cause: error });
}
