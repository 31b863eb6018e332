/**
 * The demo page: start jobs on the server and watch each one's live log,
 * cancel it, and see how it ended and its result. Built for the browser by
 * demo/server.ts at startup.
 *
 * `?start=burst&n=100000&mode=poll` (also `delayMs`) starts a job on load,
 * for end-to-end tests and demos. The page's URL lists the jobs shown
 * (`?job=sse:demo:<id>`, one `job` per panel), so a reload, or the same URL
 * in another tab, shows the same jobs again instead of starting new ones.
 */
import { StrictMode, useCallback, useEffect, useState } from "react";
import { createRoot } from "react-dom/client";
import { LogPanel, makeFormatEvent, ProgressBar, type StreamMode, useJob } from "../react/mod.ts";

const formatEvent = makeFormatEvent();

/** The ways to read a job's log, each with its radio button's label. */
const MODES: readonly [StreamMode, string][] = [["sse", "Server-Sent Events"], ["poll", "Polling"]];

interface Job {
  id: string;
  mode: StreamMode;
  label: string;
}

/** The jobs listed in the page's URL, `job=<mode>:<label>:<id>`. */
function jobsInUrl(query: URLSearchParams): Job[] {
  const jobs: Job[] = [];
  for (const value of query.getAll("job")) {
    const match = value.match(/^(sse|poll):(.*):([\w-]+)$/);
    if (match) jobs.push({ mode: match[1] as StreamMode, label: match[2], id: match[3] });
  }
  return jobs;
}

/** Writes the jobs shown into the URL (without `start`), so a reload shows them again. */
function writeJobsToUrl(jobs: Job[]): void {
  const query = new URLSearchParams();
  for (const job of jobs) query.append("job", `${job.mode}:${job.label}:${job.id}`);
  const search = query.size > 0 ? `?${query}` : "";
  if (location.search !== search) history.replaceState(null, "", `${location.pathname}${search}`);
}

function App() {
  const [mode, setMode] = useState<StreamMode>("sse");
  const [burstSize, setBurstSize] = useState("10000");
  const [jobs, setJobs] = useState<Job[]>(() => jobsInUrl(new URLSearchParams(location.search)));
  const [loaded, setLoaded] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const start = useCallback(
    async (kind: string, how: StreamMode, extra: Record<string, string>) => {
      setProblem(null);
      try {
        const query = new URLSearchParams({ kind, ...extra });
        const response = await fetch(`/api/jobs?${query}`, { method: "POST" });
        const body = await response.json();
        if (!response.ok) {
          setProblem(body.error ?? `the server answered ${response.status}`);
          return;
        }
        const label = kind === "burst" ? `burst of ${extra.n ?? 1000}` : kind;
        setJobs((list) => [{ id: body.jobId, mode: how, label }, ...list]);
      } catch (error) {
        setProblem(`could not start a job: ${(error as Error).message}`);
      }
    },
    [],
  );

  useEffect(() => {
    if (loaded) writeJobsToUrl(jobs);
  }, [jobs, loaded]);

  useEffect(() => {
    setLoaded(true);
    const query = new URLSearchParams(location.search);
    const kind = query.get("start");
    if (kind === null) return;
    const how = query.get("mode") === "poll" ? "poll" : "sse";
    setMode(how);
    const extra: Record<string, string> = {};
    for (const name of ["n", "delayMs"]) {
      const value = query.get(name);
      if (value !== null) extra[name] = value;
    }
    start(kind, how, extra);
  }, [start]);

  return (
    <main>
      <h1>Streamator demo</h1>
      <p className="lead">
        Each button starts a job on the server. Its log streams here live, one panel per job, with a
        Cancel button while it runs, and how it ended and its result once it is over.
      </p>
      <fieldset className="controls">
        <legend>Read logs with</legend>
        {MODES.map(([value, label]) => (
          <label key={value}>
            <input
              type="radio"
              name="mode"
              value={value}
              checked={mode === value}
              onChange={() => setMode(value)}
            />{" "}
            {label}
          </label>
        ))}
      </fieldset>
      <div className="buttons">
        <button type="button" id="start-demo" onClick={() => start("demo", mode, {})}>
          Start job
        </button>
        <button type="button" id="start-slow" onClick={() => start("slow", mode, {})}>
          Start slow job
        </button>
        <button type="button" id="start-html" onClick={() => start("html", mode, {})}>
          Start job with HTML in its messages
        </button>
        <button type="button" id="start-fail" onClick={() => start("fail", mode, {})}>
          Start job that fails
        </button>
        <span className="burst">
          <button
            type="button"
            id="start-burst"
            onClick={() => start("burst", mode, { n: burstSize })}
          >
            Start burst of
          </button>
          <input
            id="burst-size"
            aria-label="Burst size"
            type="number"
            min={1}
            max={100000}
            value={burstSize}
            onChange={(event) => setBurstSize(event.currentTarget.value)}
          />{" "}
          entries
        </span>
      </div>
      {problem && <p role="alert" className="problem">{problem}</p>}
      <section className="jobs" aria-label="Jobs">
        {jobs.map((job) => (
          <JobCard
            key={job.id}
            job={job}
            onRemove={() => setJobs((list) => list.filter((j) => j.id !== job.id))}
          />
        ))}
      </section>
    </main>
  );
}

const OUTCOME_TEXT = { ok: "Finished", error: "Failed", cancelled: "Cancelled", lost: "Lost" };

function JobCard({ job, onRemove }: { job: Job; onRemove: () => void }) {
  const {
    logs,
    active,
    status,
    error,
    outcome,
    progress,
    result,
    resultStatus,
    cancel,
    cancelling,
    cancelError,
  } = useJob(job.id, { prefix: "/log", mode: job.mode, interval: 1_000, formatEvent });
  return (
    <article
      className="job"
      data-job-id={job.id}
      data-status={status}
      data-count={logs.length}
      data-outcome={outcome?.status ?? ""}
    >
      <header>
        <h2>{job.label}</h2>
        <span className={`badge badge--${status}`}>{status}</span>
        <span className="meta">
          {job.mode === "sse" ? "SSE" : "polling"} · {logs.length} entries
        </span>
        {active && (
          <button type="button" className="cancel" onClick={cancel} disabled={cancelling}>
            {cancelling ? "Cancelling…" : "Cancel"}
          </button>
        )}
        <button type="button" className="remove" onClick={onRemove} aria-label="Remove job">
          ×
        </button>
      </header>
      <LogPanel
        logs={logs}
        active={active}
        maxHeight="240px"
        label={`Log of ${job.label}`}
        progress={progress}
        outcome={outcome}
        progressBar={ProgressBar}
      />
      {error && status !== "done" && <p className="problem">{error.message}</p>}
      {cancelError && <p className="problem">{cancelError.message}</p>}
      {outcome && (
        <p className={`outcome outcome--${outcome.status}`}>
          {OUTCOME_TEXT[outcome.status]}
          {outcome.message && `: ${outcome.message}`}
        </p>
      )}
      {resultStatus === "ready" && (
        <section className="result" aria-label={`Result of ${job.label}`}>
          <h3>Result</h3>
          <pre>{JSON.stringify(result, null, 2)}</pre>
        </section>
      )}
    </article>
  );
}

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
