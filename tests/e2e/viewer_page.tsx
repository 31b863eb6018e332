/**
 * The page of the viewer's end-to-end tests: a `LogPanel` or a `LogViewer`
 * reading one job with `useLogStream`, configured by the `c` query parameter
 * (JSON). `<main>` carries the stream's status and entry count.
 */
import { createRoot } from "react-dom/client";
import { LogPanel, LogViewer, ProgressBar, useLogStream } from "../../react/mod.ts";

/** What the test asks the page to show. */
export interface PageConfig {
  /** The stream URL. */
  url: string;
  /** `LogViewer` instead of `LogPanel`. */
  viewer?: boolean;
  /** Props for the panel or viewer (`progressBar: true` passes `ProgressBar`). */
  props?: Record<string, unknown>;
  /** The hook's `maxRetries`. */
  maxRetries?: number;
  /** For the viewer's .jsonl: the `{ logs }` poll route to fetch the raw events from. */
  eventsUrl?: string;
}

function App({ config }: { config: PageConfig }) {
  const stream = useLogStream(config.url, { maxRetries: config.maxRetries });
  const { eventsUrl } = config;
  const events = eventsUrl
    ? () => fetch(eventsUrl).then((r) => r.json()).then((s: { logs: unknown[] }) => s.logs)
    : undefined;
  return (
    <main data-status={stream.status} data-count={stream.logs.length}>
      {config.viewer ? <LogViewer {...stream} events={events} {...config.props} /> : (
        <LogPanel
          {...stream}
          {...config.props}
          progressBar={config.props?.progressBar ? ProgressBar : undefined}
        />
      )}
    </main>
  );
}

const config = JSON.parse(new URL(location.href).searchParams.get("c")!) as PageConfig;
createRoot(document.getElementById("root")!).render(<App config={config} />);
