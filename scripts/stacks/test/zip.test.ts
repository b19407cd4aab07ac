import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { unzip, ZipError } from '../src/zip';

/** A minimal zip writer (no CRC checking on the reading side, so none is computed). */
function zipOf(entries: { name: string; content: Buffer; deflate?: boolean }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const { name, content, deflate } of entries) {
    const data = deflate ? deflateRawSync(content) : content;
    const nameBytes = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(deflate ? 8 : 0, 8);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(content.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(deflate ? 8 : 0, 10);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(content.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

describe('unpacking a code package', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'sandbox-zip-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes stored and deflated entries, in their folders', () => {
    const bundle = Buffer.from('exports.handler = async () => 1;\n'.repeat(50));
    const file = path.join(dir, 'api.zip');
    writeFileSync(
      file,
      zipOf([
        { name: 'src/', content: Buffer.alloc(0) },
        { name: 'src/handler.js', content: bundle, deflate: true },
        { name: 'package.json', content: Buffer.from('{}') },
      ]),
    );
    expect(unzip(file, path.join(dir, 'out'))).toEqual(['src/handler.js', 'package.json']);
    expect(readFileSync(path.join(dir, 'out', 'src', 'handler.js'))).toEqual(bundle);
    expect(readFileSync(path.join(dir, 'out', 'package.json'), 'utf8')).toBe('{}');
  });

  it('refuses an entry that would land outside the target folder', () => {
    const file = path.join(dir, 'evil.zip');
    writeFileSync(file, zipOf([{ name: '../escaped.js', content: Buffer.from('x') }]));
    expect(() => unzip(file, path.join(dir, 'out'))).toThrow(`${file}: entry ../escaped.js points outside`);
  });

  it('says so when the file is not a zip', () => {
    const file = path.join(dir, 'not.zip');
    writeFileSync(file, 'hello, this is text and long enough to scan for the end record');
    expect(() => unzip(file, dir)).toThrow(ZipError);
  });
});
