/** The project's formatting (.prettierrc.json): lines up to 110 characters, 2-space indents. */
const PRINT_WIDTH = 110;
const INDENT = '  ';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/**
 * A JSON value as prettier formats the topology: an object on one line, `{ "a": 1 }`, when that line fits
 * in 110 characters (its trailing comma included), otherwise one member a line. Either way prettier
 * leaves it as it is, so `npm run format` never rewrites what the stage command wrote.
 * `indent` is the indentation of the line the value starts on, `column` where on that line it starts;
 * `expand` forces the value itself onto several lines (a stage, like the ones beside it).
 */
export interface RenderOptions {
  indent?: string;
  column?: number;
  trailingComma?: boolean;
  expand?: boolean;
}

export function renderJson(value: Json, options: RenderOptions = {}): string {
  const { indent = '', trailingComma = false, expand = false } = options;
  const column = options.column ?? indent.length;
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const line = oneLine(value);
  const fits = column + line.length + (trailingComma ? 1 : 0) <= PRINT_WIDTH;
  const entries = Array.isArray(value) ? value.map((item) => ['', item] as const) : Object.entries(value);
  if (entries.length === 0 || (fits && !expand)) return line;
  const inner = indent + INDENT;
  const lines = entries.map(([k, v], index) => {
    const last = index === entries.length - 1;
    const head = `${inner}${Array.isArray(value) ? '' : `${JSON.stringify(k)}: `}`;
    return `${head}${renderJson(v, { indent: inner, column: head.length, trailingComma: !last })}${last ? '' : ','}`;
  });
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  return `${open}\n${lines.join('\n')}\n${indent}${close}`;
}

/** `{ "a": 1, "b": [2, 3] }`, `{}`, `[]`: prettier's one-line form. */
function oneLine(value: Json): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(oneLine).join(', ')}]`;
  const members = Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${oneLine(v)}`);
  return members.length === 0 ? '{}' : `{ ${members.join(', ')} }`;
}

export type { Json };
