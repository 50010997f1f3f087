import { describe, expect, it } from 'vitest';
import { parseMail } from './mail-parser.ts';

const crlf = (lines: string[]) => lines.join('\r\n');

describe('parseMail', () => {
  it('keeps subject and body and drops transport headers', () => {
    const mail = parseMail(
      crlf([
        'From spammer@example.com  Thu Aug 22 12:36:23 2002',
        'Received: from mx.evil.example (mx.evil.example [10.0.0.1])',
        '\tby relay.example with SMTP',
        'X-Spam-Status: Yes, hits=12.3',
        'Subject: Cheap',
        '  watches',
        '',
        'Buy now.',
      ]),
    );
    expect(mail.subject).toBe('Cheap watches');
    expect(mail.body.trim()).toBe('Buy now.');
    expect(JSON.stringify(mail)).not.toMatch(/relay|X-Spam|hits/);
  });

  it('treats text without a header block as the body', () => {
    const mail = parseMail('Hello Bob,\n\nlunch tomorrow?');
    expect(mail).toEqual({ subject: '', body: 'Hello Bob,\n\nlunch tomorrow?', markers: [] });
  });

  it('decodes quoted-printable, base64 parts and encoded subjects, and strips HTML', () => {
    const raw = crlf([
      'Subject: =?utf-8?B?w4lsw6h2ZQ==?= au =?iso-8859-1?Q?caf=E9?=',
      'Content-Type: multipart/alternative; boundary="XYZ"',
      '',
      '--XYZ',
      'Content-Type: text/plain; charset=iso-8859-1',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'Caf=E9 au lait, long line=',
      ' continued',
      '--XYZ',
      'Content-Type: text/html',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from('<html><body><p>Click&nbsp;<a href="x">here</a></p><style>p{}</style></body></html>').toString(
        'base64',
      ),
      '--XYZ',
      'Content-Type: image/gif',
      '',
      'R0lGODlh',
      '--XYZ--',
    ]);
    const mail = parseMail(raw);
    expect(mail.subject).toBe('Élève au café');
    expect(mail.body).toContain('Café au lait, long line continued');
    expect(mail.body).toMatch(/Click\s+here/);
    expect(mail.body).not.toMatch(/<a|p\{\}|R0lGODlh/);
    expect(mail.markers).toEqual(['html', 'attachment:image/gif']);
  });
});
