import type { Answer, FailedAttempt } from '../dataplane/client';

/** What one data-plane call reports about the endpoints: who answered, who failed and why. */
export interface EndpointReport {
  call: string;
  answeredBy?: { region: string; url: string };
  /** The endpoint that answered with an error every endpoint would give (4xx). */
  rejectedBy?: { region: string; url: string };
  failed: { region: string; url: string; kind: string; reason: string }[];
  /** Endpoints of a hedged read still running when another answered: slower, not failed. */
  abandoned?: { region: string; url: string; elapsedMs: number }[];
}

export function endpointReport(
  call: string,
  answer: Pick<Answer<unknown>, 'endpoint' | 'failures' | 'abandoned'>,
): EndpointReport {
  return {
    call,
    answeredBy: answer.endpoint,
    failed: failedList(answer.failures),
    abandoned: answer.abandoned.map(({ endpoint, elapsedMs }) => ({ ...endpoint, elapsedMs })),
  };
}

export function failedList(failures: FailedAttempt[]): EndpointReport['failed'] {
  return failures.map((f) => ({
    region: f.endpoint.region,
    url: f.endpoint.url,
    kind: f.kind,
    reason: f.reason,
  }));
}

/**
 * stdout carries the result (text, or one JSON document with --json); stderr carries diagnostics. On
 * failure stderr gets exactly one line, so endpoint notes are held back until the command succeeds.
 */
export class Output {
  private readonly notes: string[] = [];

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
    if (this.json) this.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
  }

  /** Who answered and who failed. Endpoints a hedged read outran did not fail: they are left to --json. */
  endpoints(report: EndpointReport): void {
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
    this.notes.push(text);
  }

  flushNotes(): void {
    if (!this.json) for (const note of this.notes.splice(0)) this.stderr.write(`${note}\n`);
  }

  error(message: string): void {
    this.stderr.write(`error: ${message}\n`);
  }
}
