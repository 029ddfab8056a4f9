/**
 * The CLI reads at most its cap from any input and stops there: regular files, standard input, /dev/zero,
 * /dev/urandom, a FIFO fed forever, a process substitution; a directory or a socket is refused before reading.
 * Line streams (REQUESTS, AUDITLOG) refuse a line longer than the line cap. Policy bytes are decoded as
 * kube-apiserver does (UTF-8, UTF-16 with a byte order mark).
 */
import { ChildProcess, execFileSync, spawn } from 'child_process';
import { closeSync, openSync } from 'fs';
import { createServer, Server } from 'net';
import { join } from 'path';
import { Readable } from 'stream';
import {
  Io, MAX_INPUT_BYTES, MAX_LINE_BYTES, readBytes, readLines
} from '../../../cli/io';
import {
  BIN, cli, POLICIES, Ran, tempDir, writeFile
} from './run-cli';

const tmp = tempDir();
const POLICY = 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n';
const CAP = `more than ${ MAX_INPUT_BYTES / 1024 / 1024 }.0 MiB; an audit policy is far smaller`;
const LINE_CAP = `line 1 is longer than ${ MAX_LINE_BYTES / 1024 / 1024 }.0 MiB`;
const children: ChildProcess[] = [];
let socket: Server | undefined;

afterAll(() => {
  for (const child of children) {
    child.kill('SIGKILL');
  }
  socket?.close();
});

/** A stream that never ends: `chunk` forever, counting what was pulled from it. */
function endless(chunk: string): { stream: Readable, pulled: () => number } {
  let pulled = 0;
  const stream = new Readable({
    read() {
      pulled += chunk.length;
      this.push(chunk);
    }
  });

  return { stream, pulled: () => pulled };
}

/** A FIFO in the temp directory with a child writing `yes TEXT` into it until it is killed or the reader leaves. */
function fifoFedForever(name: string, text: string): string {
  const path = join(tmp, name);

  execFileSync('mkfifo', [path]);
  children.push(spawn('sh', ['-c', `exec yes '${ text }' > '${ path }'`], { stdio: 'ignore' }));

  return path;
}

function socketPath(): Promise<string> {
  const path = join(tmp, 'sock');

  socket = createServer();

  return new Promise((resolve) => socket?.listen(path, () => resolve(path)));
}

/** The compiled bin with standard input read from `path`, or in bash with `<(cmd)` substituted for FILE. */
function binWith(opts: { stdinFrom?: string, bash?: string }, timeoutMs = 15000): Promise<Ran> {
  const started = Date.now();
  const stdin = opts.stdinFrom ? openSync(opts.stdinFrom, 'r') : 'ignore';
  const child = opts.bash ? spawn('bash', ['-c', opts.bash], { stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs }) : spawn(process.execPath, [BIN, 'check', '-'], { stdio: [stdin, 'pipe', 'pipe'], timeout: timeoutMs });
  let out = '';
  let err = '';

  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    err += d;
  });

  return new Promise((resolve) => child.on('close', (code) => {
    if (typeof stdin === 'number') {
      closeSync(stdin);
    }
    resolve({
      code: code ?? -1, out, err, ms: Date.now() - started
    });
  }));
}

describe('a whole input stops at the cap: one line, exit 2, in bounded time', () => {
  it.each([
    ['/dev/zero', async() => cli(['check', '/dev/zero']), `/dev/zero: ${ CAP }`],
    ['/dev/urandom', async() => cli(['check', '/dev/urandom']), `/dev/urandom: ${ CAP }`],
    ['a FIFO fed forever by a child', async() => cli(['check', fifoFedForever('fifo', 'rules: []')]), `fifo: ${ CAP }`],
    ['a regular file one byte over', async() => cli(['check', writeFile(tmp, 'over.yaml', POLICY.padEnd(MAX_INPUT_BYTES + 1, '#'))]), 'over.yaml: 4.0 MiB is larger than 4.0 MiB'],
    ['a --cluster-file from /dev/zero', async() => cli(['render', join(POLICIES, 'rke1-default.yaml'), '--distro', 'rke2', '--method', 'inline', '--cluster', 'c', '--cluster-file', '/dev/zero']), `/dev/zero: ${ CAP }`],
    ['the compiled bin, stdin from /dev/zero', async() => binWith({ stdinFrom: '/dev/zero' }), `standard input: ${ CAP }`],
    ['the compiled bin, a process substitution', async() => binWith({ bash: `node '${ BIN }' check <(yes 'a: b')` }), `/dev/fd/63: ${ CAP }`],
    ['the compiled bin, a FIFO fed forever', async() => binWith({ bash: `node '${ BIN }' check '${ fifoFedForever('fifo2', 'level: None') }'` }), `fifo2: ${ CAP }`],
  ])('%s', async(_name, go, message) => {
    const got = await go();

    expect(got.code).toBe(2);
    expect(got.err).toContain(message);
    expect(got.err.split('\n')).toHaveLength(2);
    expect(got.ms).toBeLessThan(10000);
  });

  it('standard input that never ends: read up to the cap, then destroyed', async() => {
    const { stream, pulled } = endless('x: y\n'.repeat(13000));
    const got = await cli(['check', '-'], stream);

    expect(got.err).toBe(`audit-policy: standard input: ${ CAP } — is this the right file?\n`);
    expect(got.code).toBe(2);
    expect(stream.destroyed).toBe(true);
    expect(pulled()).toBeLessThan(MAX_INPUT_BYTES + 2 * 65536);
  });

  it('a file of exactly the cap is read', async() => {
    const got = await cli(['check', writeFile(tmp, 'cap.yaml', POLICY.padEnd(MAX_INPUT_BYTES, '#'))]);

    expect(got.code).toBe(0);
    expect(got.out).toMatch(/cap\.yaml: loadable \(1 rules\)/);
  });

  it.each([
    ['a directory', async() => tmp, 'is a directory, not a file'],
    ['a socket', socketPath, 'is a socket, not a file'],
    ['a missing file', async() => join(tmp, 'missing.yaml'), 'cannot read: no such file'],
  ])('%s is refused before reading, for every input', async(_name, path, message) => {
    const target = await path();

    for (const args of [['check', target], ['lint', target], ['match', join(POLICIES, 'rke1-default.yaml'), target], ['estimate', join(POLICIES, 'rke1-default.yaml'), target]]) {
      const got = await cli(args);

      expect({ args, code: got.code, err: got.err }).toEqual({ args, code: 2, err: `audit-policy: ${ target }: ${ message }\n` });
    }
  });
});

describe('a line stream refuses a line longer than the line cap', () => {
  it.each([
    ['match', '/dev/zero'],
    ['estimate', '/dev/zero'],
  ])('%s FILE %s', async(command, input) => {
    const got = await cli([command, join(POLICIES, 'rke1-default.yaml'), input]);

    expect(got.code).toBe(2);
    expect(got.err).toBe(`audit-policy: ${ input }: ${ LINE_CAP }; want JSON lines, one object per line\n`);
  });

  it('standard input of one endless line: destroyed at the line cap', async() => {
    const { stream, pulled } = endless('a'.repeat(65536));
    const got = await cli(['match', join(POLICIES, 'rke1-default.yaml'), '-'], stream);

    expect(got.err).toBe(`audit-policy: standard input: ${ LINE_CAP }; want JSON lines, one object per line\n`);
    expect(stream.destroyed).toBe(true);
    expect(pulled()).toBeLessThan(MAX_LINE_BYTES + 2 * 65536);
  });

  it('short lines fed forever are streamed, not refused', async() => {
    const got = await cli(['match', join(POLICIES, 'rke1-default.yaml'), '-'], Readable.from(Array.from({ length: 2000 }, () => '{"verb":"get","path":"/healthz"}\n')));

    expect(got.code).toBe(0);
    expect(got.out.split('\n')).toHaveLength(2001);
  });
});

describe('readLines: lines as UTF-8 text', () => {
  const io = (chunks: (string | Buffer)[]): Io => ({
    stdout: () => undefined, stderr: () => undefined, stdin: () => Readable.from(chunks)
  });
  const lines = async(chunks: (string | Buffer)[], limit?: number) => {
    const out: string[] = [];

    for await (const line of readLines('-', io(chunks), limit)) {
      out.push(line);
    }

    return out;
  };

  it.each([
    ['one chunk', ['a\nb\n'], ['a', 'b']],
    ['no final newline', ['a\nb'], ['a', 'b']],
    ['CRLF', ['a\r\nb\r\n'], ['a', 'b']],
    ['a CR inside a line is kept', ['{"a":\r1}\n'], ['{"a":\r1}']],
    ['empty lines', ['\n\na\n'], ['', '', 'a']],
    ['a BOM on the first line only', ['\uFEFFa\n\uFEFFb\n'], ['a', '\uFEFFb']],
    ['one byte per chunk', [...'ab\ncd\n'], ['ab', 'cd']],
    ['a UTF-8 character split across chunks', [Buffer.from([0x61, 0xC3]), Buffer.from([0xA9, 0x0A])], ['aé']],
    ['a line of exactly the limit', ['12345678\n'], ['12345678']],
    ['a line of exactly the limit, in pieces', ['1234', '5678', '\nab'], ['12345678', 'ab']],
  ])('%s', async(_name, chunks, want) => {
    expect(await lines(chunks, 8)).toEqual(want);
  });

  it.each([
    ['one byte over, in one chunk', ['ok\n123456789\n']],
    ['one byte over, in pieces', ['ok\n1234', '5678', '9']],
    ['one byte over, no newline', ['ok\n123456789']],
  ])('%s: line 2 is refused', async(_name, chunks) => {
    await expect(lines(chunks, 8)).rejects.toThrow('standard input: line 2 is longer than 8 B; want JSON lines, one object per line');
  });

  it('readBytes refuses at limit + 1 and keeps exactly the limit', async() => {
    await expect(readBytes('-', io(['1234', '5678']), 8)).resolves.toEqual(Buffer.from('12345678'));
    await expect(readBytes('-', io(['1234', '56789']), 8)).rejects.toThrow('standard input: more than 8 B');
  });
});

describe('policy bytes are decoded as kube-apiserver does', () => {
  const utf16 = (text: string, bigEndian: boolean) => {
    const le = Buffer.from(text, 'utf16le');

    return bigEndian ? Buffer.from(le.map((_b, i) => le[i ^ 1])) : le;
  };

  it.each([
    ['UTF-8', Buffer.from(POLICY), 0, ''],
    ['UTF-8 with a BOM', Buffer.concat([Buffer.from([0xEF, 0xBB, 0xBF]), Buffer.from(POLICY)]), 0, ''],
    ['UTF-16LE with a BOM', Buffer.concat([Buffer.from([0xFF, 0xFE]), utf16(POLICY, false)]), 0, ''],
    ['UTF-16BE with a BOM', Buffer.concat([Buffer.from([0xFE, 0xFF]), utf16(POLICY, true)]), 0, ''],
    ['UTF-16LE without a BOM', utf16(POLICY, false), 1, 'not YAML or JSON text: yaml: control characters are not allowed at byte 1 (utf-8)'],
    ['UTF-16LE with a BOM and an odd byte', Buffer.concat([Buffer.from([0xFF, 0xFE]), utf16(POLICY, false), Buffer.from([0x0A])]), 1, 'not YAML or JSON text: yaml: incomplete UTF-16 character at byte 134 (utf-16le with a byte order mark)'],
    ['Latin-1', Buffer.concat([Buffer.from(POLICY), Buffer.from('# caf\xE9\n', 'latin1')]), 1, 'not YAML or JSON text: yaml: incomplete UTF-8 octet sequence at byte 71 (utf-8)'],
    ['an ELF header', Buffer.from([0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0]), 1, 'not YAML or JSON text: yaml: control characters are not allowed at byte 0 (utf-8)'],
  ])('%s', async(name, bytes, code, message) => {
    const path = writeFile(tmp, `${ name.replace(/\W+/g, '-') }.yaml`, bytes);

    for (const command of ['check', 'lint']) {
      const got = await cli([command, path]);

      expect({ command, code: got.code, err: got.err }).toEqual({ command, code, err: message ? `audit-policy: ${ path }: ${ message }\n` : '' });
    }
  });
});
