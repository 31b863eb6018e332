/**
 * The status line under `LogPanel`: what the stream and the job are doing,
 * from the props `useLogStream`'s result spreads in (`status`, `error`,
 * `outcome`, `retry`), with every text a prop so it can be translated.
 *
 * @module
 */
import { Fragment, type ReactElement, useRef } from "react";
import type { LogPanelProps } from "./log_panel_props.ts";

/**
 * A polite region (reconnecting, done, cancelled) holding an alert with the
 * message when the stream failed or the job did, and a Retry button for a
 * stream that failed before the job's end. Pressing Retry moves the focus to
 * the line itself, since the button goes while the stream reconnects.
 */
export function StatusLine(props: LogPanelProps): ReactElement {
  const { status, error, outcome, retry } = props;
  const line = useRef<HTMLDivElement>(null);
  return (
    <div className="streamator-log-status" role="status" tabIndex={-1} ref={line}>
      {status === "error" || outcome?.status === "error"
        ? (
          <Fragment>
            {status === "error"
              ? <span role="alert">{props.errorText ?? "⚠ The log stopped:"} {error?.message}</span>
              : (
                <span role="alert">
                  {props.failedText ?? "✖ The job failed:"} {outcome!.message}
                </span>
              )}
            {
              // Retrying cannot change how a job ended (a lost job stays lost).
              retry && !outcome && (
                <button
                  type="button"
                  onClick={() => {
                    line.current!.focus();
                    retry();
                  }}
                >
                  {props.retryText ?? "Retry"}
                </button>
              )
            }
          </Fragment>
        )
        : status === "done"
        ? outcome?.status === "cancelled"
          ? (
            <Fragment>
              {props.cancelledText ?? "The job was cancelled."} {outcome.message}
            </Fragment>
          )
          : props.doneText
        : (status === "reconnecting" || (status === "connecting" && error)) &&
          (props.reconnectingText ?? "Reconnecting…")}
    </div>
  );
}
