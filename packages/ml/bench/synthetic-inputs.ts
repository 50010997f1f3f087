/** Seeded synthetic model inputs for the benchmarks (the ml and onnx packages' alike). */
import type { V2Input } from '@mlapi/schemas';
import { mulberry32 } from '../src/training/prng.ts';

export { mulberry32 };

const WORDS = (
  'the a to of and in for is on that with you your this our we be are it have from at as by not ' +
  'free money offer click here order now business email list receive information please time new ' +
  'software linux kernel patch build release version thanks meeting tomorrow project report data ' +
  'price credit card million dollars save guarantee removed mailing unsubscribe website internet'
).split(' ');

/** A ~10 kB raw message: a few headers, then seeded pseudo-text paragraphs. */
export function syntheticMail(bytes: number, seed: number): string {
  const rng = mulberry32(seed);
  const head = [
    'From: "Someone" <someone@example.com>',
    'To: you@example.org',
    'Subject: Quarterly update and an offer you should not miss',
    'Date: Thu, 22 Aug 2002 12:36:23 +0100',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    '',
  ].join('\n');
  let body = '';
  while (head.length + body.length < bytes) {
    const n = 8 + Math.floor(rng() * 12);
    const sentence = Array.from({ length: n }, () => WORDS[Math.floor(rng() * WORDS.length)]).join(' ');
    body += `${sentence}.${rng() < 0.15 ? '\n\n' : ' '}`;
  }
  return (head + body).slice(0, bytes);
}

/** A house with every feature inside the v2 schema's ranges, drawn from `rng`. */
export function syntheticHouse(rng: () => number): V2Input {
  const u = (lo: number, hi: number) => lo + (hi - lo) * rng();
  return {
    crim: u(0, 20),
    zn: u(0, 80),
    indus: u(1, 27),
    chas: rng() < 0.07 ? 1 : 0,
    nox: u(0.39, 0.87),
    rm: u(4, 8.5),
    age: u(3, 100),
    dis: u(1.2, 12),
    rad: 1 + Math.floor(rng() * 24),
    tax: u(190, 710),
    ptratio: u(12.6, 22),
    lstat: u(2, 37),
  };
}
