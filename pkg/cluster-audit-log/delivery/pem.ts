/**
 * The checks client-go's transport makes on the PEM data of a kubeconfig when kube-apiserver builds its webhook
 * client (k8s.io/client-go transport/transport.go TLSConfigFor, rootCertPool, createErrorParsingCAData; Go's
 * crypto/tls X509KeyPair), with their messages, on Go's encoding/pem block grammar. A certificate is checked for
 * its DER structure (x509.ParseCertificate refuses one that is not a DER SEQUENCE holding the TBS certificate),
 * a key for being DER at all; signatures, dates and whether the key belongs to the certificate are the TLS
 * handshake's business and are not checked here.
 */

/** One PEM block as encoding/pem's Decode returns it. */
export interface PemBlock {
  type: string;
  headers: Record<string, string>;
  bytes: Uint8Array;
}

/** Go's base64.StdEncoding.DecodeString (padding required; \r and \n skipped): the bytes, or Go's error text. */
export function decodeGoBase64(text: string): { ok: true, bytes: Uint8Array } | { ok: false, message: string } {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const corrupt = (at: number) => ({ ok: false as const, message: `illegal base64 data at input byte ${ at }` });
  const out: number[] = [];
  let si = 0;

  const next = (): { ch: string, at: number } | null => {
    while (si < text.length && (text[si] === '\r' || text[si] === '\n')) {
      si++;
    }
    if (si >= text.length) {
      return null;
    }

    return { ch: text[si], at: si++ };
  };

  for (;;) {
    const quantum: number[] = [];

    for (let j = 0; j < 4; j++) {
      const c = next();

      if (!c) {
        if (j === 0) {
          return { ok: true, bytes: Uint8Array.from(out) };
        }

        return corrupt(si - j);
      }
      if (c.ch === '=') {
        if (j < 2) {
          return corrupt(c.at);
        }
        if (j === 2) {
          const second = next();

          if (!second) {
            return corrupt(text.length);
          }
          if (second.ch !== '=') {
            return corrupt(second.at);
          }
        }
        const after = next();

        if (after) {
          return corrupt(after.at);
        }
        pushQuantum(out, quantum);

        return { ok: true, bytes: Uint8Array.from(out) };
      }
      const value = alphabet.indexOf(c.ch);

      if (value < 0) {
        return corrupt(c.at);
      }
      quantum.push(value);
    }
    pushQuantum(out, quantum);
  }
}

function pushQuantum(out: number[], q: number[]): void {
  const n = (q[0] << 18) | (q[1] << 12) | ((q[2] ?? 0) << 6) | (q[3] ?? 0);

  out.push((n >> 16) & 0xff);
  if (q.length > 2) {
    out.push((n >> 8) & 0xff);
  }
  if (q.length > 3) {
    out.push(n & 0xff);
  }
}

const BEGIN = '-----BEGIN ';
const END = '-----END ';
const TAIL = '-----';

/** The line at the start of `text` without its line ending, and what follows the line ending. */
function getLine(text: string): [line: string, rest: string] {
  const i = text.indexOf('\n');
  const [line, rest] = i < 0 ? [text, ''] : [text.slice(0, i), text.slice(i + 1)];

  return [line.replace(/[ \t\r]+$/, ''), rest];
}

/**
 * encoding/pem's Decode: the first PEM block of `text` and the text after it, or null when there is none (a
 * block whose body does not decode is skipped, as Go skips it, and the search goes on after its BEGIN line).
 */
export function decodePem(text: string): { block: PemBlock, rest: string } | null {
  let rest = text;

  for (;;) {
    let at: number;

    if (rest.startsWith(BEGIN)) {
      at = 0;
    } else {
      const i = rest.indexOf(`\n${ BEGIN }`);

      if (i < 0) {
        return null;
      }
      at = i + 1;
    }
    const [typeLine, afterType] = getLine(rest.slice(at + BEGIN.length));

    rest = afterType;
    if (!typeLine.endsWith(TAIL)) {
      continue;
    }
    const type = typeLine.slice(0, -TAIL.length);
    const headers: Record<string, string> = {};
    let body = afterType;

    for (;;) {
      const [line, next] = getLine(body);
      const colon = line.indexOf(':');

      if (body === '' || colon < 0) {
        break;
      }
      headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
      body = next;
    }
    if (Object.keys(headers).length && body.startsWith('\n')) {
      body = body.slice(1);
    }
    // the first END line closes the block; it must name the same type and end in five dashes
    const endAt = !Object.keys(headers).length && body.startsWith(END) ? 0 : body.indexOf(`\n${ END }`);

    if (endAt < 0) {
      continue;
    }
    const base64Body = body.slice(0, endAt).replace(/[ \t]/g, '');
    const [endLine, afterEnd] = getLine(body.slice(endAt + (endAt === 0 ? 0 : 1)));
    const decoded = decodeGoBase64(base64Body);

    if (endLine !== `${ END }${ type }${ TAIL }` || !decoded.ok) {
      continue;
    }

    return {
      block: {
        type, headers, bytes: decoded.bytes
      },
      rest: afterEnd
    };
  }
}

/** Every block of `text`, in order (what a loop over pem.Decode collects), and whether text is left after them. */
export function pemBlocks(text: string): { blocks: PemBlock[], trailing: boolean } {
  const blocks: PemBlock[] = [];
  let rest = text;

  for (;;) {
    const found = decodePem(rest);

    if (!found) {
      return { blocks, trailing: rest.length > 0 };
    }
    blocks.push(found.block);
    rest = found.rest;
  }
}

/** A DER TLV at `at`: its tag, where its value starts and ends, or null when the length does not fit. */
function derElement(bytes: Uint8Array, at: number): { tag: number, start: number, end: number } | null {
  if (at + 2 > bytes.length) {
    return null;
  }
  const tag = bytes[at];
  let length = bytes[at + 1];
  let start = at + 2;

  if (length & 0x80) {
    const count = length & 0x7f;

    if (count === 0 || count > 4 || start + count > bytes.length || bytes[start] === 0) {
      return null;
    }
    length = 0;
    for (let i = 0; i < count; i++) {
      length = length * 256 + bytes[start + i];
    }
    if (length < 0x80) {
      return null;
    }
    start += count;
  }
  const end = start + length;

  return end > bytes.length ? null : {
    tag, start, end
  };
}

const SEQUENCE = 0x30;

/** x509.ParseCertificate's first checks: one DER SEQUENCE, all of the block, holding a SEQUENCE (the TBS certificate). */
export function certificateError(der: Uint8Array): string | null {
  const outer = derElement(der, 0);

  if (!outer || outer.tag !== SEQUENCE || outer.end !== der.length) {
    return 'x509: malformed certificate';
  }
  const tbs = derElement(der, outer.start);

  return tbs && tbs.tag === SEQUENCE && tbs.end <= outer.end ? null : 'x509: malformed tbs certificate';
}

/**
 * rootCertPool(caData): null when x509.CertPool.AppendCertsFromPEM takes at least one certificate, else the error
 * client-go returns, as kube-apiserver prints it: `unable to load root certificates: ...`.
 */
export function caDataError(pem: string): string | null {
  const { blocks } = pemBlocks(pem);

  if (blocks.some((b) => b.type === 'CERTIFICATE' && !Object.keys(b.headers).length && !certificateError(b.bytes))) {
    return null;
  }
  let rest = pem;

  // createErrorParsingCAData: the first reason found, walking the blocks as pem.Decode returns them
  while (rest.length > 0) {
    const found = decodePem(rest);

    if (!found) {
      return 'unable to load root certificates: unable to parse bytes as PEM block';
    }
    rest = found.rest;
    if (found.block.type !== 'CERTIFICATE' || Object.keys(found.block.headers).length) {
      continue;
    }
    const error = certificateError(found.block.bytes);

    if (error) {
      return `unable to load root certificates: failed to parse certificate: ${ error }`;
    }
  }

  return 'unable to load root certificates: no valid certificate authority data seen';
}

/** Go's %v of a []string: `[a b]`. */
function goList(items: string[]): string {
  return `[${ items.join(' ') }]`;
}

/** crypto/tls X509KeyPair(cert, key): null when the pair parses, else Go's error text. */
export function keyPairError(certPem: string, keyPem: string): string | null {
  const certs = pemBlocks(certPem).blocks;
  const certBlocks = certs.filter((b) => b.type === 'CERTIFICATE');

  if (!certBlocks.length) {
    const skipped = certs.map((b) => b.type);

    if (!skipped.length) {
      return 'tls: failed to find any PEM data in certificate input';
    }
    if (skipped.length === 1 && skipped[0].endsWith('PRIVATE KEY')) {
      return 'tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched';
    }

    return `tls: failed to find "CERTIFICATE" PEM block in certificate input after skipping PEM blocks of the following types: ${ goList(skipped) }`;
  }
  const skipped: string[] = [];
  let key: PemBlock | undefined;

  for (const block of pemBlocks(keyPem).blocks) {
    if (block.type === 'PRIVATE KEY' || block.type.endsWith(' PRIVATE KEY')) {
      key = block;
      break;
    }
    skipped.push(block.type);
  }
  if (!key) {
    if (!skipped.length) {
      return 'tls: failed to find any PEM data in key input';
    }
    if (skipped.length === 1 && skipped[0] === 'CERTIFICATE') {
      return 'tls: found a certificate rather than a key in the PEM for the private key';
    }

    return `tls: failed to find PEM block with type ending in "PRIVATE KEY" in key input after skipping PEM blocks of the following types: ${ goList(skipped) }`;
  }
  const certError = certificateError(certBlocks[0].bytes);

  if (certError) {
    return certError;
  }
  const keyElement = derElement(key.bytes, 0);

  return keyElement && keyElement.tag === SEQUENCE && keyElement.end === key.bytes.length ? null : 'tls: failed to parse private key';
}
