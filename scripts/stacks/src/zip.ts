import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { CommandError } from '@arc-failover/shared/command';

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;
const STORED = 0;
const DEFLATED = 8;

export class ZipError extends CommandError {
  override name = 'ZipError';
}

/**
 * Unpacks a zip (stored or deflated entries, as `sls package` writes them) into a directory, read from
 * its central directory. Refuses entries that would land outside the directory.
 */
export function unzip(file: string, into: string): string[] {
  const zip = readFileSync(file);
  const fail = (what: string) => new ZipError(`${file}: ${what}`);
  let end = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === END_OF_CENTRAL_DIRECTORY) {
      end = i;
      break;
    }
  }
  if (end < 0) throw fail('not a zip file (no end of central directory)');
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  const root = path.resolve(into);
  const written: string[] = [];
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(offset) !== CENTRAL_DIRECTORY_ENTRY) throw fail('corrupt central directory');
    const method = zip.readUInt16LE(offset + 10);
    const compressedSize = zip.readUInt32LE(offset + 20);
    const size = zip.readUInt32LE(offset + 24);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const localOffset = zip.readUInt32LE(offset + 42);
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    offset += 46 + nameLength + extraLength + commentLength;

    const target = path.resolve(root, name);
    if (target !== root && !target.startsWith(root + path.sep)) throw fail(`entry ${name} points outside`);
    if (name.endsWith('/')) {
      mkdirSync(target, { recursive: true });
      continue;
    }
    if (zip.readUInt32LE(localOffset) !== LOCAL_FILE_HEADER) throw fail(`corrupt local header of ${name}`);
    const dataStart =
      localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
    const data = zip.subarray(dataStart, dataStart + compressedSize);
    let content: Buffer;
    if (method === STORED) content = data;
    else if (method === DEFLATED) content = inflateRawSync(data);
    else throw fail(`entry ${name} uses compression method ${method}`);
    if (content.length !== size) throw fail(`entry ${name} is ${content.length} bytes, expected ${size}`);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, content);
    written.push(name);
  }
  return written;
}
