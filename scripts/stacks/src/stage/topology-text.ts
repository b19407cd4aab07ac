import { objectMembers, rootStart, type Member } from './json-members';
import { renderJson, type Json } from './render-json';

/** The indentation of the line holding offset `at`. */
function indentAt(text: string, at: number): string {
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

/**
 * The topology text with `stages.<stage>` set to `entry`, every other byte as it was: a new stage goes
 * after the last one, at their indentation; an existing stage's value is replaced where it stands.
 */
export function withStage(text: string, stage: string, entry: Json): string {
  const root = objectMembers(text, rootStart(text));
  const stagesMember = root.members.find((m) => m.key === 'stages');
  if (!stagesMember || text[stagesMember.valueStart] !== '{') {
    throw new SyntaxError('the topology has no "stages" object');
  }
  const stages = objectMembers(text, stagesMember.valueStart);
  const existing = stages.members.find((m) => m.key === stage);
  if (existing) return replaceValue(text, existing, entry);

  const last: Member | undefined = stages.members.at(-1);
  const indent = last
    ? indentAt(text, stages.members[0]!.keyStart)
    : `${indentAt(text, stagesMember.keyStart)}  `;
  const member = `${indent}${JSON.stringify(stage)}: ${renderJson(entry, { indent, expand: true })}`;
  if (last) return `${text.slice(0, last.valueEnd)},\n${member}${text.slice(last.valueEnd)}`;
  const closeIndent = indentAt(text, stagesMember.keyStart);
  return `${text.slice(0, stagesMember.valueStart)}{\n${member}\n${closeIndent}}${text.slice(stages.close + 1)}`;
}

function replaceValue(text: string, member: Member, entry: Json): string {
  const indent = indentAt(text, member.keyStart);
  const rendered = renderJson(entry, {
    indent,
    column: member.valueStart - text.lastIndexOf('\n', member.valueStart - 1) - 1,
    expand: true,
  });
  return `${text.slice(0, member.valueStart)}${rendered}${text.slice(member.valueEnd)}`;
}
