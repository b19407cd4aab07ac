import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BookmarkError, readBookmark, type Bookmark } from '../../src/bookmark';
import { bookmarkFor } from '@arc-failover/testing';

const dir = mkdtempSync(path.join(tmpdir(), 'arc-bookmark-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** readBookmark of `bookmark` edited by `edit`: the BookmarkError's message. */
function refusal(edit: (bookmark: Bookmark) => void): string {
  const bookmark = bookmarkFor();
  edit(bookmark);
  const file = path.join(dir, 'bookmark.json');
  writeFileSync(file, JSON.stringify(bookmark));
  try {
    readBookmark(file);
  } catch (error) {
    if (error instanceof BookmarkError) return error.message.replace(`${file}: `, '');
    throw error;
  }
  throw new Error('expected the bookmark to be refused');
}

const FIX = '; write it again with "npm run switch -- sync"';

describe('a hand-edited bookmark is refused on reading, naming the key', () => {
  it('accepts the bookmark as written', () => {
    const file = path.join(dir, 'as-written.json');
    writeFileSync(file, JSON.stringify(bookmarkFor()));
    expect(readBookmark(file)).toEqual(bookmarkFor());
  });

  it('a stage that is not a stage name: it would put the audit log outside arc/audit/', () => {
    expect(refusal((b) => (b.stage = '../../etc/x'))).toBe(
      `stage "../../etc/x": not a stage name (lower-case letters, digits and dashes)${FIX}`,
    );
  });

  it('a cluster ARN that is not one', () => {
    expect(refusal((b) => (b.clusterArn = 'arn:aws:s3:::bucket'))).toBe(
      `clusterArn arn:aws:s3:::bucket: not a cluster ARN (arn:aws:route53-recovery-control::<account>:cluster/<id>)${FIX}`,
    );
  });

  it("a routing control of another API's control panel", () => {
    const message = refusal((b) => {
      b.services[1]!.routingControls['us-east-1'] = b.services[2]!.routingControls['us-west-2']!;
    });
    expect(message).toBe(
      "services[1] (service1).routingControls.us-east-1 arn:aws:route53-recovery-control::111122223333:controlpanel/p-service2/routingcontrol/rc-service2-us-west-2: not a routing control of the API's control panel (arn:aws:route53-recovery-control::111122223333:controlpanel/p-service1/routingcontrol/<id>)" +
        FIX,
    );
  });

  it("a control panel outside the cluster's account", () => {
    const message = refusal((b) => {
      b.services[0]!.controlPanelArn = 'arn:aws:route53-recovery-control::999999999999:controlpanel/p-x';
    });
    expect(message).toBe(
      `services[0] (external-api).controlPanelArn "arn:aws:route53-recovery-control::999999999999:controlpanel/p-x": not a control panel of the cluster's account (arn:aws:route53-recovery-control::111122223333:controlpanel/<id>)${FIX}`,
    );
  });
});
