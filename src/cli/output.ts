import fs = require('node:fs');

/**
 * Writes a report straight to a standard descriptor, synchronously: the whole
 * report is out before the process exits, and no stream has to be set up for
 * it. A reader that has gone away (`codenav … | head`) ends the output
 * quietly; a non-blocking descriptor that is full hands the rest, and all
 * later output, to the stream, which keeps the order (`buffered` then says so).
 */
export function descriptorWriter(fd: 1 | 2, stream: () => NodeJS.WriteStream): { write: (text: string) => void; buffered: () => boolean } {
  let closed = false;
  let viaStream = false;
  const toStream = (data: string | Buffer) => {
    if (!viaStream) stream().on('error', () => (closed = true));
    viaStream = true;
    stream().write(data);
  };
  const write = (text: string) => {
    if (closed) return;
    if (viaStream) return toStream(text);
    let rest = Buffer.from(text, 'utf8');
    while (rest.length) {
      try {
        rest = rest.subarray(fs.writeSync(fd, rest));
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EPIPE') closed = true;
        else if (code === 'EAGAIN') toStream(rest);
        else throw err;
        return;
      }
    }
  };
  return { write, buffered: () => viaStream && !closed };
}
