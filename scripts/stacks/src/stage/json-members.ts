/** Where one member of a JSON object sits in the text: its key, and its value as [valueStart, valueEnd). */
export interface Member {
  key: string;
  keyStart: number;
  valueStart: number;
  valueEnd: number;
}

/** The members of the JSON object whose `{` is at `open`, and the index of its closing `}`. */
export function objectMembers(text: string, open: number): { members: Member[]; close: number } {
  if (text[open] !== '{') throw new SyntaxError(`expected { at offset ${open}`);
  const members: Member[] = [];
  let i = skipSpace(text, open + 1);
  if (text[i] === '}') return { members, close: i };
  for (;;) {
    const keyStart = i;
    const keyEnd = skipValue(text, i);
    const key = JSON.parse(text.slice(keyStart, keyEnd)) as string;
    i = skipSpace(text, keyEnd);
    if (text[i] !== ':') throw new SyntaxError(`expected : at offset ${i}`);
    const valueStart = skipSpace(text, i + 1);
    const valueEnd = skipValue(text, valueStart);
    members.push({ key, keyStart, valueStart, valueEnd });
    i = skipSpace(text, valueEnd);
    if (text[i] === '}') return { members, close: i };
    if (text[i] !== ',') throw new SyntaxError(`expected , or } at offset ${i}`);
    i = skipSpace(text, i + 1);
  }
}

/** The index of the root value's first character. */
export function rootStart(text: string): number {
  return skipSpace(text, text.charCodeAt(0) === 0xfeff ? 1 : 0);
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && /\s/.test(text[i]!)) i++;
  return i;
}

/** The index just past the JSON value starting at `i` (a string, object, array, number or literal). */
function skipValue(text: string, i: number): number {
  const first = text[i];
  if (first === '"') {
    for (let j = i + 1; j < text.length; j++) {
      if (text[j] === '\\') j++;
      else if (text[j] === '"') return j + 1;
    }
    throw new SyntaxError(`unterminated string at offset ${i}`);
  }
  if (first === '{' || first === '[') {
    let depth = 0;
    for (let j = i; j < text.length; j++) {
      const c = text[j];
      if (c === '"') j = skipValue(text, j) - 1;
      else if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        depth--;
        if (depth === 0) return j + 1;
      }
    }
    throw new SyntaxError(`unterminated ${first} at offset ${i}`);
  }
  let j = i;
  while (j < text.length && !/[\s,}\]]/.test(text[j]!)) j++;
  if (j === i) throw new SyntaxError(`expected a value at offset ${i}`);
  return j;
}
