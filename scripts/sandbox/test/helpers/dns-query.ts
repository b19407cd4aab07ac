import dgram from 'node:dgram';
import net from 'node:net';
import * as dnsPacket from 'dns-packet';

export type Answer = dnsPacket.DecodedPacket & { rcode: string };

/** One query over UDP, as dig sends it. */
export function queryUdp(
  port: number,
  name: string,
  type: dnsPacket.RecordType = 'A',
  host = '127.0.0.1',
): Promise<Answer> {
  const id = Math.floor(Math.random() * 0xffff);
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`no UDP answer for ${name}`));
    }, 2000);
    socket.on('message', (message) => {
      clearTimeout(timer);
      socket.close();
      resolve(dnsPacket.decode(message) as Answer);
    });
    socket.send(
      dnsPacket.encode({
        type: 'query',
        id,
        flags: dnsPacket.RECURSION_DESIRED,
        questions: [{ type, name }],
      }),
      port,
      host,
    );
  });
}

/** Several queries on one TCP connection, length-prefixed, as dig +tcp (or a resolver's retry) sends them. */
export function queryTcp(
  port: number,
  questions: { name: string; type?: dnsPacket.RecordType }[],
  host = '127.0.0.1',
): Promise<Answer[]> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, host);
    const answers: Answer[] = [];
    let buffer = Buffer.alloc(0);
    socket.on('error', reject);
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      while (buffer.length >= 2 && buffer.length >= 2 + buffer.readUInt16BE(0)) {
        const length = buffer.readUInt16BE(0);
        answers.push(dnsPacket.decode(buffer.subarray(2, 2 + length)) as Answer);
        buffer = buffer.subarray(2 + length);
      }
      if (answers.length === questions.length) {
        socket.end();
        resolve(answers);
      }
    });
    // Both queries in one write: the server must split the stream on the length prefixes.
    socket.write(
      Buffer.concat(
        questions.map((q, index) =>
          dnsPacket.streamEncode({
            type: 'query',
            id: index + 1,
            questions: [{ type: q.type ?? 'A', name: q.name }],
          }),
        ),
      ),
    );
  });
}

export function sendRaw(port: number, message: Buffer, host = '127.0.0.1'): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    const timer = setTimeout(() => {
      socket.close();
      resolve(undefined);
    }, 300);
    socket.on('message', (reply) => {
      clearTimeout(timer);
      socket.close();
      resolve(reply);
    });
    socket.send(message, port, host);
  });
}
