/**
 * Turns a raw RFC 822 message into the text the spam model reads: the Subject plus the
 * decoded body. Transport headers (Received, Return-Path, X-Spam-*, ...) are ignored on
 * purpose: in the Spam Assassin corpus they give the label away. Plain text without a
 * header block is accepted too and treated as the body.
 */
import { decodeBase64, decodeEncodedWords, decodeQuotedPrintable, htmlToText } from './mime-decode.ts';

export interface ParsedMail {
  subject: string;
  body: string;
  /** Structural hints found while decoding, e.g. 'html', 'attachment:image/gif'. */
  markers: string[];
}

/** Input larger than this is cut before parsing (same as the v1 schema's max length). */
const MAX_RAW_CHARS = 100_000;
const MAX_DEPTH = 4;

type Headers = Map<string, string>;

const HEADER_LINE = /^[!-9;-~]+:/;

function splitHead(raw: string): { head: string; body: string } | null {
  const m = /\r?\n\r?\n/.exec(raw);
  const head = m ? raw.slice(0, m.index) : raw;
  const body = m ? raw.slice(m.index + m[0].length) : '';
  const lines = head.split(/\r?\n/);
  const first = lines[0] ?? '';
  if (!(first.startsWith('From ') || HEADER_LINE.test(first))) return null;
  for (const line of lines) {
    if (!(HEADER_LINE.test(line) || line.startsWith(' ') || line.startsWith('\t') || line.startsWith('From '))) {
      return null;
    }
  }
  return { head, body };
}

function parseHeaders(head: string): Headers {
  const headers: Headers = new Map();
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  for (const line of unfolded.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0 || line.startsWith('From ')) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  return headers;
}

function param(value: string, name: string): string | undefined {
  const m = new RegExp(`${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i').exec(value);
  return m ? (m[1] ?? m[2]) : undefined;
}

/** The text of each part of a multipart body, up to the closing boundary, joined by newlines. */
function decodeMultipart(body: string, boundary: string, depth: number, markers: string[]): string {
  const parts = body.split(`--${boundary}`).slice(1);
  const texts: string[] = [];
  for (const part of parts) {
    if (part.startsWith('--')) break;
    const split = splitHead(part.replace(/^[ \t]*\r?\n/, ''));
    const partHeaders = split ? parseHeaders(split.head) : new Map<string, string>();
    texts.push(decodeEntity(partHeaders, split ? split.body : part, depth + 1, markers));
  }
  return texts.join('\n');
}

/** A leaf body decoded by its transfer encoding and charset, with HTML reduced to text. */
function decodeLeaf(headers: Headers, body: string, contentType: string, mime: string, markers: string[]): string {
  const charset = param(contentType, 'charset');
  const encoding = (headers.get('content-transfer-encoding') ?? '').toLowerCase();
  let text = body;
  if (encoding.includes('base64')) text = decodeBase64(body, charset);
  else if (encoding.includes('quoted-printable')) text = decodeQuotedPrintable(body, charset);
  if (mime === 'text/html' || /<(html|body|table|font|a\s|p>|br\s*\/?>)/i.test(text.slice(0, 4000))) {
    markers.push('html');
    text = htmlToText(text);
  }
  return text;
}

function decodeEntity(headers: Headers, body: string, depth: number, markers: string[]): string {
  const contentType = headers.get('content-type') ?? 'text/plain';
  const mime = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  const boundary = param(contentType, 'boundary');
  if (mime.startsWith('multipart/') && boundary && depth < MAX_DEPTH) {
    return decodeMultipart(body, boundary, depth, markers);
  }
  if (mime.startsWith('message/') && depth < MAX_DEPTH) {
    const split = splitHead(body.replace(/^\s+/, ''));
    if (split) return decodeEntity(parseHeaders(split.head), split.body, depth + 1, markers);
  }
  if (mime !== '' && !mime.startsWith('text/') && !mime.startsWith('multipart/') && !mime.startsWith('message/')) {
    markers.push(`attachment:${mime}`);
    return '';
  }
  return decodeLeaf(headers, body, contentType, mime, markers);
}

export function parseMail(raw: string): ParsedMail {
  const input = raw.length > MAX_RAW_CHARS ? raw.slice(0, MAX_RAW_CHARS) : raw;
  const split = splitHead(input);
  const markers: string[] = [];
  if (!split) return { subject: '', body: input, markers };
  const headers = parseHeaders(split.head);
  const subject = decodeEncodedWords(headers.get('subject') ?? '');
  const body = decodeEntity(headers, split.body, 0, markers);
  return { subject, body, markers };
}
