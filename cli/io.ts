/**
 * The CLI's inputs and its one-line failures. Every input is read as a stream with a byte budget: a whole file
 * (a policy, a cluster file) stops at its cap, a line stream (REQUESTS, AUDITLOG) at its line cap, whatever the
 * source is (a regular file, standard input, /dev/zero, a FIFO, a process substitution). `stat` only words the
 * refusal of what cannot be read (a directory, a socket) and refuses a regular file already too large.
 */
import { createReadStream, promises as fs } from 'fs';
import { Readable } from 'stream';
import { decodePolicyBytes } from '../pkg/cluster-audit-log/policy/encoding';

/** The process streams `run` talks to (tests pass their own). */
export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stdin: () => Readable;
}

/** A failure that ends the command with one line on stderr and this exit code. */
export class CliError extends Error {
  constructor(message: string, public code: 1 | 2) {
    super(message);
  }
}

/** One line: a message's line breaks (a YAML excerpt, a joined list) become spaces. */
export function oneLine(message: string): string {
  return message.replace(/\s*[\r\n]+\s*/g, ' ');
}

/** Largest policy or cluster file read (a 1,000-rule policy is about 150 KiB). */
export const MAX_INPUT_BYTES = 4 * 1024 * 1024;

/** Longest line of a REQUESTS or AUDITLOG stream (an audit Event with a large response body stays far below). */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

/** Human-readable byte count: 1.5 KiB, 50.0 MiB. */
export function formatBytes(n: number): string {
  if (n < 1024) {
    return `${ n } B`;
  }
  const units = ['KiB', 'MiB', 'GiB'];
  let v = n / 1024;
  let u = 0;

  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }

  return `${ v.toFixed(1) } ${ units[u] }`;
}

/** How an input is named in messages: its path, or "standard input" for `-`. */
export function inputLabel(file: string): string {
  return file === '-' ? 'standard input' : file;
}

const ERRNO_WORDS: Record<string, string> = {
  ENOENT:  'no such file',
  EACCES:  'permission denied',
  EISDIR:  'is a directory, not a file',
  ENXIO:   'is a socket or a device without a reader, not a file',
  ENOTDIR: 'a part of the path is not a directory',
  ELOOP:   'too many symbolic links',
};

/** An error met while opening or reading an input, as one line (a CliError passes through). */
export function readFailure(label: string, e: unknown): CliError {
  if (e instanceof CliError) {
    return e;
  }
  const code = (e as NodeJS.ErrnoException).code ?? '';
  const words = ERRNO_WORDS[code] ?? String((e as Error).message ?? e).split('\n')[0];

  return new CliError(`${ label }: cannot read: ${ words }`, 2);
}

function tooLarge(label: string, limit: number, size?: number): CliError {
  const what = size === undefined ? `more than ${ formatBytes(limit) }` : `${ formatBytes(size) } is larger than ${ formatBytes(limit) }`;

  return new CliError(`${ label }: ${ what }; an audit policy is far smaller — is this the right file?`, 2);
}

/** Opens an input as a byte stream; `stat` refuses what is not a stream of bytes before opening it. */
async function openInput(file: string, io: Io, limit: number): Promise<Readable> {
  if (file === '-') {
    return io.stdin();
  }
  const label = inputLabel(file);
  let stat;

  try {
    stat = await fs.stat(file);
  } catch (e) {
    throw readFailure(label, e);
  }
  if (stat.isDirectory()) {
    throw new CliError(`${ label }: is a directory, not a file`, 2);
  }
  if (stat.isSocket()) {
    throw new CliError(`${ label }: is a socket, not a file`, 2);
  }
  if (stat.isFile() && stat.size > limit) {
    throw tooLarge(label, limit, stat.size);
  }

  return createReadStream(file);
}

function asBuffer(chunk: Buffer | Uint8Array | string): Buffer {
  return typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/**
 * Reads a whole input (a path, or `-` for standard input) of at most `limit` bytes. Reading stops at the first
 * byte past the limit and the stream is destroyed: /dev/zero or an endless FIFO is refused, not drained.
 */
export async function readBytes(file: string, io: Io, limit = MAX_INPUT_BYTES): Promise<Uint8Array> {
  const label = inputLabel(file);
  const stream = await openInput(file, io, limit);
  const chunks: Buffer[] = [];
  let size = 0;

  try {
    for await (const chunk of stream) {
      const bytes = asBuffer(chunk);

      size += bytes.length;
      if (size > limit) {
        throw tooLarge(label, limit);
      }
      chunks.push(bytes);
    }
  } catch (e) {
    throw readFailure(label, e);
  } finally {
    stream.destroy();
  }

  return Buffer.concat(chunks);
}

/**
 * The lines of an input (a path, or `-`), as UTF-8 text without their `\n` or `\r\n` (and without a UTF-8 BOM on
 * the first). A line longer than `limit` bytes is refused when its limit+1st byte arrives, never buffered whole.
 */
export async function* readLines(file: string, io: Io, limit = MAX_LINE_BYTES): AsyncGenerator<string> {
  const label = inputLabel(file);
  const stream = await openInput(file, io, Infinity);
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let line = 0;
  const text = (parts: Buffer[]): string => {
    const s = (parts.length === 1 ? parts[0] : Buffer.concat(parts)).toString('utf8');
    const start = line++ === 0 && s.charCodeAt(0) === 0xFEFF ? 1 : 0;

    return s.endsWith('\r') ? s.slice(start, -1) : s.slice(start);
  };
  const tooLong = () => new CliError(`${ label }: line ${ line + 1 } is longer than ${ formatBytes(limit) }; want JSON lines, one object per line`, 2);

  try {
    for await (const chunk of stream) {
      const bytes = asBuffer(chunk);
      let start = 0;

      for (let nl = bytes.indexOf(10); nl !== -1; nl = bytes.indexOf(10, start)) {
        if (pendingBytes + nl - start > limit) {
          throw tooLong();
        }
        pending.push(bytes.subarray(start, nl));
        yield text(pending);
        pending = [];
        pendingBytes = 0;
        start = nl + 1;
      }
      if (start < bytes.length) {
        pending.push(bytes.subarray(start));
        pendingBytes += bytes.length - start;
        if (pendingBytes > limit) {
          throw tooLong();
        }
      }
    }
    if (pendingBytes) {
      yield text(pending);
    }
  } catch (e) {
    throw readFailure(label, e);
  } finally {
    stream.destroy();
  }
}

/**
 * Reads a text input (a policy or a cluster file) of at most `limit` bytes and decodes it as kube-apiserver
 * does (policy/encoding.ts: UTF-8 with or without a byte order mark, UTF-16 with one; JSON as encoding/json
 * reads it). Bytes go-yaml refuses (binary data, invalid UTF-8, control characters) end the command with
 * go-yaml's own message, exit 1: the file was read, kube-apiserver would not load it.
 */
export async function readText(file: string, io: Io, limit = MAX_INPUT_BYTES): Promise<string> {
  const decoded = decodePolicyBytes(await readBytes(file, io, limit));

  if (!decoded.ok) {
    throw new CliError(`${ inputLabel(file) }: not YAML or JSON text: ${ decoded.error } at byte ${ decoded.offset } (${ decoded.bom ? `${ decoded.encoding } with a byte order mark` : decoded.encoding })`, 1);
  }

  return decoded.text;
}
