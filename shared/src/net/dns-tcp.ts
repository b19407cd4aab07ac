/** DNS over TCP puts each message behind a two-byte length (RFC 1035, 4.2.2). */
export function frameDnsMessage(message: Buffer): Buffer {
  const framed = Buffer.alloc(2 + message.length);
  framed.writeUInt16BE(message.length, 0);
  message.copy(framed, 2);
  return framed;
}

/** Cuts a DNS-over-TCP byte stream into whole messages, keeping an incomplete one for the next chunk. */
export class DnsMessageReader {
  private pending = Buffer.alloc(0);

  /** The messages completed by this chunk, in order. */
  push(chunk: Buffer): Buffer[] {
    this.pending = Buffer.concat([this.pending, chunk]);
    const messages: Buffer[] = [];
    while (this.pending.length >= 2 && this.pending.length >= 2 + this.pending.readUInt16BE(0)) {
      const length = this.pending.readUInt16BE(0);
      messages.push(this.pending.subarray(2, 2 + length));
      this.pending = this.pending.subarray(2 + length);
    }
    return messages;
  }
}
