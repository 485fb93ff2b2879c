import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { InputError } from '../../errors.js';
import { MSG } from '../messages.js';

/*
 * Synchronous chunked file reading for trace files: lines (LineReader) and raw chunks
 * (ChunkReader, for copying). The file is opened per chunk, so an abandoned reader never holds a
 * descriptor.
 */

const CHUNK = 1 << 20;
/**
 * The longest line any reader accepts: a trace or import row is tens of bytes, so a longer line
 * is not one (a binary file, /dev/zero, a field holding a whole document). Refusing it keeps
 * memory bounded: nothing ever buffers more than this of one line.
 */
export const MAX_LINE_BYTES = 1 << 20;

/**
 * Synchronous line reader over a file in 1 MiB chunks: strips a UTF-8 BOM and `\r` before `\n`.
 * Memory is one chunk plus one partial line, whatever the file's size.
 */
export class LineReader {
  /** 1-based number of the line `next()` returned last. */
  lineNo = 0;
  private buf = '';
  private pos = 0;
  private filePos = 0;
  private eof = false;
  private readonly decoder = new StringDecoder('utf8');
  private readonly bytes = Buffer.allocUnsafe(CHUNK);

  constructor(
    readonly path: string,
    private readonly what = 'trace',
  ) {
    this.fill();
    if (this.buf.charCodeAt(0) === 0xfeff) this.pos = 1;
  }

  next(): string | undefined {
    for (;;) {
      const nl = this.buf.indexOf('\n', this.pos);
      if (nl >= 0) {
        const end = nl > this.pos && this.buf.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
        const line = this.buf.slice(this.pos, end);
        this.pos = nl + 1;
        this.lineNo++;
        return line;
      }
      if (this.buf.length - this.pos > MAX_LINE_BYTES)
        throw new InputError(
          MSG.lineTooLong(this.lineNo + 1, MAX_LINE_BYTES),
          `${this.path}:${this.lineNo + 1}`,
        );
      if (this.eof) {
        if (this.pos >= this.buf.length) return undefined;
        let line = this.buf.slice(this.pos);
        if (line.endsWith('\r')) line = line.slice(0, -1);
        this.pos = this.buf.length;
        this.lineNo++;
        return line;
      }
      this.fill();
    }
  }

  private fill(): void {
    let n: number;
    try {
      const fd = openSync(this.path, 'r');
      try {
        n = readSync(fd, this.bytes, 0, CHUNK, this.filePos);
      } finally {
        closeSync(fd);
      }
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? 'error';
      throw new InputError(
        code === 'ENOENT' ? MSG.noSuchFile(this.what) : MSG.cannotRead(this.what, code),
        this.path,
      );
    }
    this.filePos += n;
    const rest = this.buf.slice(this.pos);
    if (n === 0) {
      this.eof = true;
      this.buf = rest + this.decoder.end();
    } else {
      this.buf = rest + this.decoder.write(this.bytes.subarray(0, n));
    }
    this.pos = 0;
  }
}

/** Raw chunks of a file, for copying. */
export class ChunkReader {
  private pos = 0;
  private readonly bytes = Buffer.allocUnsafe(CHUNK);
  constructor(private readonly path: string) {}
  read(): Buffer | undefined {
    const fd = openSync(this.path, 'r');
    try {
      const n = readSync(fd, this.bytes, 0, CHUNK, this.pos);
      this.pos += n;
      return n === 0 ? undefined : this.bytes.subarray(0, n);
    } finally {
      closeSync(fd);
    }
  }
}
