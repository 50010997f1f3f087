/** v1 (spam classification) request/response schemas. */
import { z } from 'zod';
import { mustBe } from '../messages.ts';
import { plainString } from '../plain-text.ts';

const MAX_TEXT_LENGTH = 100_000;

export const v1InputSchema = z
  .object({
    text: plainString('text', { error: mustBe('text', 'a string') })
      .min(1, { error: 'text must not be empty' })
      .max(MAX_TEXT_LENGTH, { error: `text must be at most ${MAX_TEXT_LENGTH} characters` })
      .describe(
        'The e-mail to classify: either a raw RFC 822 message (headers, blank line, body) or just the text. ' +
          'Only the Subject header and the body are used.',
      ),
  })
  .describe('An e-mail message to classify as spam or ham.')
  .meta({
    example: {
      text: 'Subject: Lunch on Thursday?\n\nHi Sam,\n\nAre we still on for lunch on Thursday at noon? I can book the usual place near the office.\n\nBest,\nMaria',
    },
  });

export const v1OutputSchema = z
  .object({
    category: z.enum(['spam', 'ham']).describe("Predicted category: 'spam' when probability >= 0.5, else 'ham'."),
    probability: z
      .number()
      .min(0)
      .max(1)
      .describe('Estimated probability that the message is spam, P(spam), whatever the predicted category.'),
  })
  .describe('Spam classification result.');

/** The true value a client reports as feedback for a v1 prediction. */
export const v1TargetSchema = z
  .enum(['spam', 'ham'], { error: mustBe('actual', "'spam' or 'ham'") })
  .describe('The true category of the message.')
  .meta({ example: 'ham' });

export const v1Labels = ['spam', 'ham'] as const;

export type V1Input = z.infer<typeof v1InputSchema>;
export type V1Output = z.infer<typeof v1OutputSchema>;
