import type { CallRecord } from '../switchover';

/**
 * stdout carries the result (text, or one JSON document with --json); stderr carries diagnostics. On
 * failure stderr gets exactly one line, so endpoint notes are held back until the command succeeds.
 */
export class Output {
  private readonly notes: string[] = [];
  /** A JSON document went to stdout. */
  documented = false;

  constructor(
    readonly json: boolean,
    private readonly stdout: NodeJS.WritableStream = process.stdout,
    private readonly stderr: NodeJS.WritableStream = process.stderr,
  ) {}

  /** A line of the human result; dropped with --json. */
  line(text = ''): void {
    if (!this.json) this.stdout.write(`${text}\n`);
  }

  document(doc: unknown): void {
    if (!this.json) return;
    this.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
    this.documented = true;
  }

  /** Who answered and who failed. Endpoints a hedged read outran did not fail: they are left to --json. */
  endpoints(report: CallRecord): void {
    if (report.answeredBy) {
      this.notes.push(
        `${report.call}: answered by the ${report.answeredBy.region} endpoint (${report.answeredBy.url})`,
      );
    }
    for (const f of report.failed)
      this.notes.push(`${report.call}: the ${f.region} endpoint failed: ${f.reason}`);
  }

  /** A diagnostic shown only if the command succeeds. */
  note(text: string): void {
    // the same warning from two audit lines is one warning
    if (!this.notes.includes(text)) this.notes.push(text);
  }

  flushNotes(): void {
    if (!this.json) for (const note of this.notes.splice(0)) this.stderr.write(`${note}\n`);
  }

  error(message: string): void {
    this.stderr.write(`error: ${message}\n`);
  }
}
