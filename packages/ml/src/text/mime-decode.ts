/** Small decoders for MIME content: quoted-printable, base64, RFC 2047 words, charsets. */

/** Decodes bytes in `charset`, falling back to latin1 for unknown charsets. */
function decodeBytes(bytes: Uint8Array, charset: string | undefined): string {
  const cs = (charset ?? '').toLowerCase();
  if (cs === '' || cs === 'us-ascii' || cs.startsWith('iso-8859-1') || cs === 'latin1') {
    return Buffer.from(bytes).toString('latin1');
  }
  if (cs === 'utf-8' || cs === 'utf8') return Buffer.from(bytes).toString('utf8');
  try {
    return new TextDecoder(cs).decode(bytes);
  } catch {
    return Buffer.from(bytes).toString('latin1');
  }
}

/** The raw corpus strings hold one char per byte; this turns them back into bytes. */
function latin1Bytes(text: string): Uint8Array {
  return Buffer.from(text, 'latin1');
}

const HEX = /=([0-9A-Fa-f]{2})|=\r?\n/g;

/** Quoted-printable (RFC 2045): soft line breaks removed, =XX escapes decoded. */
export function decodeQuotedPrintable(text: string, charset?: string): string {
  const decoded = text.replace(HEX, (_m, hex: string | undefined) =>
    hex === undefined ? '' : String.fromCharCode(parseInt(hex, 16)),
  );
  return charset ? decodeBytes(latin1Bytes(decoded), charset) : decoded;
}

export function decodeBase64(text: string, charset?: string): string {
  return decodeBytes(Buffer.from(text.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64'), charset);
}

const ENCODED_WORD = /=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=/g;

/** Decodes RFC 2047 encoded words (`=?utf-8?Q?Hello_there?=`) in a header value. */
export function decodeEncodedWords(value: string): string {
  if (!value.includes('=?')) return value;
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(ENCODED_WORD, (_m, charset: string, enc: string, data: string) =>
      enc.toLowerCase() === 'b' ? decodeBase64(data, charset) : decodeQuotedPrintable(data.replace(/_/g, ' '), charset),
    );
}

const ENTITIES: Record<string, string> = {
  nbsp: ' ',
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  copy: '©',
  reg: '®',
};

/** Rough HTML-to-text: drops style/script/comments, replaces tags with spaces, decodes entities. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(style|script)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, name: string) => {
      if (name[0] === '#') {
        const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : ' ';
      }
      return ENTITIES[name.toLowerCase()] ?? m;
    });
}
