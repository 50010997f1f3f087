import { datasetExampleSchema } from '@mlapi/schemas';
import type { OpenAPIObject } from 'trpc-to-openapi';
import { z } from 'zod';
import { datasetExportRoute } from '../dataset-export.ts';

const example = {
  prediction_id: 1041,
  model_version: '1.0.0',
  input: { text: 'Subject: lunch\n\nSee you at noon.' },
  output: { category: 'ham', probability: 0.02 },
  predicted: 'ham',
  actual: 'ham',
  user_id: 7,
  predicted_at: '2026-11-02T10:00:00.000Z',
  feedback_time: '2026-11-03T09:30:00.000Z',
  is_train_data: true,
};

/** The JSON Schema of one exported example (OpenAPI 3.1 schemas are JSON Schema 2020-12). */
function lineSchema(): Record<string, unknown> {
  const { $schema: _dialect, ...schema } = z.toJSONSchema(datasetExampleSchema);
  return schema;
}

/**
 * The export's 200 as it is sent: JSONL or CSV streamed by http/dataset-export.ts, not the JSON its procedure
 * (`datasets.exportCheck`, which checks the query first) would answer.
 */
export function documentStreamedExport(doc: OpenAPIObject): void {
  const operation = doc.paths?.[datasetExportRoute]?.get;
  if (!operation?.responses) return;
  operation.responses['200'] = {
    description:
      'The examples in the order their feedback first came: JSONL (`format=jsonl`, one object per line) or CSV (`format=csv`: a header row; `input` and `output` as JSON text). Streamed in constant memory; a reply cut short means the export failed midway.',
    content: {
      'application/jsonl': {
        // The schema of each line (JSONL: one such object per line).
        schema: lineSchema(),
        example: `${JSON.stringify(example)}\n`,
      },
      'text/csv': {
        schema: { type: 'string' },
        example:
          'prediction_id,model_version,input,output,predicted,actual,user_id,predicted_at,feedback_time,is_train_data\n' +
          '1041,1.0.0,"{""text"":""Subject: lunch""}","{""category"":""ham"",""probability"":0.02}",ham,ham,7,2026-11-02T10:00:00.000Z,2026-11-03T09:30:00.000Z,true\n',
      },
    },
  };
}
