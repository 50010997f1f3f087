/**
 * Runnable example: `npm start` in one terminal, then `npx tsx packages/sdk/examples/quickstart.ts`.
 * MLAPI_URL, MLAPI_USERNAME and MLAPI_PASSWORD override the development defaults.
 */
import { v2ExampleInput } from '@mlapi/schemas';
import { createClient, isMlapiError } from '@mlapi/sdk';

const mlapi = createClient({ url: process.env['MLAPI_URL'] ?? 'http://localhost:8080' });
await mlapi.login(process.env['MLAPI_USERNAME'] ?? 'superuser@example.com', process.env['MLAPI_PASSWORD'] ?? '8888');

const me = await mlapi.user.me.query();
console.log(`signed in as ${me.username} (${me.role})`);

const mail = await mlapi.ml.v1.predict.mutate({
  text: 'Subject: Re: minutes from Tuesday\n\nHi Tom, thanks for the minutes. I added two comments about the budget. Best, Anna',
});
console.log(`v1: ${mail.category} (P(spam) = ${mail.probability}), prediction ${mail.prediction_id}`);

const house = await mlapi.ml.v2.predict.mutate(v2ExampleInput); // the API docs' example house
console.log(`v2: $${house.price}`);

await mlapi.ml.v1.feedback.mutate({ prediction_id: mail.prediction_id, actual: 'ham' });

try {
  await mlapi.ml.v2.predict.mutate({ ...v2ExampleInput, rm: 12 });
} catch (err) {
  if (!isMlapiError(err)) throw err;
  console.log(`refused: ${err.status} ${err.code} —`, err.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
}
