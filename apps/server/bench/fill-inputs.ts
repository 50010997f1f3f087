/** The inputs `npm run bench:volume` fills the prediction logs with, kept as the server keeps them under LOG_INPUTS. */
import { defaultFillInputs } from '@mlapi/db/bench';
import { loggedInput, type LogInputs } from '../src/features/call-log/logged-input.ts';

const words = (
  'the a to of and in is for on that with as be at by this from we are have it you your our will can an not or ' +
  'meeting invoice account payment order team project report please thanks regards update attached review ' +
  'schedule delivery customer service price offer friday monday week month today tomorrow call question answer'
).split(' ');

/** A mail of `bytes` bytes of varied words (the same every run), so compression behaves as on real text. */
function mailText(bytes: number): string {
  let seed = 42;
  let text = 'Subject: the weekly report\n\n';
  while (text.length < bytes) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    text += `${words[seed % words.length]}${seed % 13 === 0 ? '.\n' : ' '}`;
  }
  return text.slice(0, bytes);
}

/** The input JSON each v1 and v2 prediction logs: a mail of `inputBytes` (default a short one), a house. */
export function fillInputs(mode: LogInputs, inputBytes: number | undefined): { v1: string; v2: string } {
  const v1 = inputBytes === undefined ? (JSON.parse(defaultFillInputs.v1) as object) : { text: mailText(inputBytes) };
  const v2 = JSON.parse(defaultFillInputs.v2) as object;
  return {
    v1: JSON.stringify(loggedInput(mode, v1 as Record<string, unknown>)),
    v2: JSON.stringify(loggedInput(mode, v2 as Record<string, unknown>)),
  };
}
