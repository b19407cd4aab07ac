export {
  defineCommand,
  subcommand,
  type BooleanFlag,
  type CommandDeclaration,
  type CommandSpec,
  type FlagDeclaration,
  type FlagDeclarations,
  type FlagValues,
  type Handler,
  type ParsedCommand,
  type PositionalDeclaration,
  type StringFlag,
  type Subcommand,
} from './declaration';
export { CommandError, InterruptedError, UsageError, type InterruptSignal } from './errors';
export { formatHelp } from './help';
export { parseCommandLine, type CommandLine } from './parse';
export { describeFailure, executeCommand, reportFailure, runCommand } from './run';
export { port, portList, seconds, wholeNumber, type ValueParser } from './values';
