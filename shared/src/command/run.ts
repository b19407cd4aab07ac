import type { CommandDeclaration, FlagDeclarations, Handler } from './declaration';
import { CommandError } from './errors';
import { parseCommandLine } from './parse';

/** How a failure ends a command: its one line (without `error: `) and the exit status. */
export function describeFailure(error: unknown): {
  message: string;
  exitCode: number;
  also: readonly string[];
} {
  if (error instanceof CommandError) {
    return { message: firstLine(error.message), exitCode: error.exitCode, also: error.also };
  }
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { message: `unexpected failure: ${firstLine(text)}`, exitCode: 1, also: [] };
}

/** Writes a failure's one line, `error: …` (and, with DEBUG set, its stack); returns its exit status. */
export function reportFailure(error: unknown, stderr: NodeJS.WritableStream = process.stderr): number {
  const { message, exitCode, also } = describeFailure(error);
  stderr.write(`error: ${message}\n`);
  for (const problem of also) stderr.write(`also: ${problem}\n`);
  if (process.env.DEBUG && error instanceof Error) stderr.write(`${error.stack}\n`);
  return exitCode;
}

/**
 * Parses the command line, prints --help or runs the handler (or the subcommand's), and resolves to the
 * exit status: 0 done, 1 failed, 2 bad command line, 130/143 interrupted.
 */
export async function executeCommand<F extends FlagDeclarations>(
  declaration: CommandDeclaration<F>,
  handler: Handler<F> | undefined,
  argv: readonly string[],
): Promise<number> {
  try {
    const line = parseCommandLine(declaration, argv, { subcommandRequired: !handler });
    if (line.kind === 'help') {
      process.stdout.write(`${line.text}\n`);
      return 0;
    }
    const run = line.subcommand ? line.subcommand.handler : (handler as Handler<FlagDeclarations>);
    if (!run) throw new Error(`${line.command.invocation} has no handler`);
    const status = await run(line.command);
    return status ?? 0;
  } catch (error) {
    return reportFailure(error);
  }
}

/** A command's entry point: runs it on this process's arguments and sets the exit status. */
export function runCommand<F extends FlagDeclarations>(
  declaration: CommandDeclaration<F>,
  handler?: Handler<F>,
): void {
  // stderr is for the one line that matters; the AWS SDK's notice about future Node versions is not it.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  void executeCommand(declaration, handler, process.argv.slice(2)).then((status) => {
    process.exitCode = status;
  });
}

function firstLine(text: string): string {
  return text.split('\n')[0]!;
}
