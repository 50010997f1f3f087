/** Inputs the tests share: an ordinary house for v2 (the API docs' example), and a plain work mail the v1 model reads as ham. */
export { v2ExampleInput as house } from '@mlapi/schemas';

export const hamMail =
  'Subject: Re: build\n\nThanks, I applied your patch to the build script and the tests pass now. Cheers, Tom';
