/** One benchmark's result: a table and notes, printed and written to RESULTS.md. */
export interface Section {
  title: string;
  /** What was measured and how, in one or two sentences. */
  about: string;
  header: string[];
  rows: (string | number)[][];
  /** Scaled-down sizes, peers that win and why, anything a reader must know. */
  notes?: string[];
  /** Headline numbers for the summary at the top. */
  headline?: string[];
}

/** A markdown table. */
export function markdown(section: Section): string {
  const cell = (v: string | number) => String(v).replaceAll("|", "\\|");
  const lines = [
    `## ${section.title}`,
    "",
    section.about,
    "",
    `| ${section.header.map(cell).join(" | ")} |`,
    `| ${section.header.map((_, i) => i === 0 ? "---" : "---:").join(" | ")} |`,
    ...section.rows.map((row) => `| ${row.map(cell).join(" | ")} |`),
  ];
  for (const note of section.notes ?? []) lines.push("", `- ${note}`);
  return lines.join("\n") + "\n";
}

/** A number with thousands separators and `digits` decimals. */
export function fmt(value: number, digits = 0): string {
  if (!Number.isFinite(value)) return "–";
  return value.toLocaleString("en-US", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

/** `a ÷ b` as `1.23×`. */
export function ratio(a: number, b: number): string {
  const r = a / b;
  if (!(b > 0) || !Number.isFinite(r)) return "–";
  return r >= 0.1 ? `${r.toFixed(2)}×` : `${r.toPrecision(2)}×`;
}

/** The p-quantile of sorted numbers. */
export function quantile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}
