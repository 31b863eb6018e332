/**
 * Test support for `useLogStream`: render it with props (optionally under
 * `<StrictMode>`), read its entries' texts, and the bounds of `waitFor`.
 */
import { type ReactNode, StrictMode } from "react";
import { renderHook } from "./render_hook.tsx";
import {
  type LogStream,
  useLogStream,
  type UseLogStreamOptions,
} from "../../react/use_log_stream.ts";

/** How long `waitFor` may wait, and how often it looks. */
export const WAIT = { timeout: 8_000, interval: 20 };

/** The texts of a stream's entries. */
export function texts(stream: LogStream): string[] {
  return stream.logs.map((entry) => entry.text);
}

/** Renders `useLogStream(url, options)`; `rerender({ url, options })` changes them. */
export function hook(url: string | null, options?: UseLogStreamOptions, strict = false) {
  return renderHook(
    ({ url, options }: { url: string | null; options?: UseLogStreamOptions | undefined }) =>
      useLogStream(url, options),
    {
      initialProps: { url, options } as { url: string | null; options?: UseLogStreamOptions },
      wrapper: strict
        ? ({ children }: { children: ReactNode }) => <StrictMode>{children}</StrictMode>
        : undefined,
    },
  );
}

/** Waits `ms` (to show that nothing more happens). */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
