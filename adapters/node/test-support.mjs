// Shared by the helper's tests (not shipped: package.json `files` leaves it out).
import { Writable } from 'node:stream';

/** A writable stream that keeps what it is given; `text()` returns it. */
export function sink() {
  const chunks = [];
  const stream = new Writable({
    write(chunk, encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  stream.text = () => chunks.join('');
  return stream;
}
