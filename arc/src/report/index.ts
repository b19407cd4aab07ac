/** The execution report of a switch or a runbook run: the JSON model, its Markdown and SVG, the files. */
export {
  switchStepFrom,
  type ApprovalStepReport,
  type ExecutionReport,
  type ReportOutcome,
  type StepOutcome,
  type StepReport,
  type SwitchStepApi,
  type SwitchStepReport,
  type WaitStepReport,
} from './model';
export { renderMarkdown } from './markdown';
export { renderTimeline } from './timeline';
export { readReport, reportDirectory, ReportError, writeReport } from './write';
