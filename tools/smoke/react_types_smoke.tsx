// npm smoke test: a React consumer's TypeScript (DOM tsconfig, skipLibCheck
// false, @types/react), checked by tsc against the installed streamator-react.
import {
  type LogEntry,
  LogPanel,
  makeFormatEvent,
  useLogStream,
} from "streamator-react";

const formatEvent = makeFormatEvent({
  scraping: (e) => `Scraping ${String(e.url)}`,
});

export function JobLog({ jobId }: { jobId: string | null }) {
  const stream = useLogStream(jobId && `/log/${jobId}/stream`, { formatEvent });
  const first: LogEntry | undefined = stream.logs[0];
  return (
    <>
      {first && <p>{first.text}</p>}
      <LogPanel logs={stream.logs} active={stream.active} maxHeight="240px" />
    </>
  );
}

// @ts-expect-error: "websocket" is no mode
useLogStream("/log/a/stream", { mode: "websocket" });
