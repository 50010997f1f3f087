import type { IncomingMessage, ServerResponse } from 'node:http';
import { getTRPCErrorFromUnknown } from '@trpc/server';
import type { ExampleRow } from '@mlapi/db';
import type { DatasetExample, DatasetExportQuery } from '@mlapi/schemas';
import { stringify } from 'csv-stringify/sync';
import type { AppRouter } from '../app-router.ts';
import { createContextInner, requestInfo } from '../core/context.ts';
import type { AppDeps } from '../core/deps.ts';
import { createCallerFactory } from '../core/procedures.ts';
import { apiReplyHeaders } from './api-reply-headers.ts';
import { noteError, sendRestError } from './error-reply.ts';

/** The export's route, as /metrics and the OpenAPI document name it. */
export const datasetExportRoute = '/admin/datasets/{service}';
const pathPattern = /^\/admin\/datasets\/([^/]+)\/?$/;
/** Examples per read: one page in memory at a time. */
const pageSize = 1000;

const columns: (keyof DatasetExample)[] = [
  'prediction_id',
  'model_version',
  'input',
  'output',
  'predicted',
  'actual',
  'user_id',
  'predicted_at',
  'feedback_time',
  'is_train_data',
];

const wire = (r: ExampleRow): DatasetExample => ({
  prediction_id: r.predictionId,
  model_version: r.modelVersion,
  input: r.input,
  output: r.output,
  predicted: r.predicted,
  actual: r.actual,
  user_id: r.userId,
  predicted_at: r.predictedAt.toISOString(),
  feedback_time: r.feedbackTime.toISOString(),
  is_train_data: r.isTrainData,
});

/** One page as JSONL lines or CSV rows (objects as JSON text in their cell). */
function render(format: DatasetExportQuery['format'], rows: ExampleRow[]): string {
  const examples = rows.map(wire);
  if (format === 'jsonl') return examples.map((e) => `${JSON.stringify(e)}\n`).join('');
  return stringify(
    examples.map((e) => columns.map((c) => (typeof e[c] === 'object' && e[c] !== null ? JSON.stringify(e[c]) : e[c]))),
    { cast: { boolean: (b) => String(b) } },
  );
}

/** Resolves when the response can take more, or when the client has gone (then nothing more is written). */
function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((done) => {
    const settle = () => {
      res.off('drain', settle);
      res.off('close', settle);
      done();
    };
    res.on('drain', settle);
    res.on('close', settle);
  });
}

/**
 * GET /admin/datasets/{service}: the labelled examples streamed as JSONL or CSV, page after page, each written once
 * the client has taken the one before (backpressure), so memory holds one page whatever the total. The procedure
 * `datasets.exportCheck` authorizes and validates the query first (its errors are answered as on every REST route);
 * a failure once the rows flow cuts the connection, so a truncated file never looks complete.
 */
export function createDatasetExport(router: AppRouter, deps: AppDeps) {
  const createCaller = createCallerFactory(router);

  /** The service named by an export path, or null when the path is not one. */
  const match = (pathname: string): string | null => pathPattern.exec(pathname)?.[1] ?? null;

  async function serve(req: IncomingMessage, res: ServerResponse, url: URL, requestId: string, service: string) {
    let query: DatasetExportQuery;
    try {
      const ctx = createContextInner(deps, requestInfo(req, requestId, deps.env.TRUSTED_PROXIES));
      query = await createCaller(ctx).datasets.exportCheck({
        ...Object.fromEntries(url.searchParams),
        service,
      } as DatasetExportQuery);
    } catch (err) {
      const error = getTRPCErrorFromUnknown(err);
      if (noteError(deps.logger, error, { route: datasetExportRoute, requestId })) sendRestError(res, error);
      return;
    }
    const filter = {
      service: query.service,
      trainOnly: query.train_only,
      from: query.from === undefined ? undefined : new Date(query.from),
      to: query.to === undefined ? undefined : new Date(query.to),
    };
    const type = query.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/jsonl; charset=utf-8';
    const name = `${query.service}-labelled-examples${query.train_only ? '-train' : ''}.${query.format}`;
    res.writeHead(200, {
      ...apiReplyHeaders,
      'content-type': type,
      'content-disposition': `attachment; filename="${name}"`,
    });
    // HEAD: the headers only, no rows read.
    if (req.method === 'HEAD') return void res.end();
    try {
      if (query.format === 'csv') res.write(stringify([columns]));
      let after: number | null = 0;
      do {
        const page = await deps.data.labelledExamples.examplesAfter(filter, after, pageSize);
        if (!res.write(render(query.format, page.rows))) await drainedOrClosed(res);
        after = page.next;
      } while (after !== null && !res.destroyed);
      res.end();
    } catch (err) {
      deps.logger.error({ err, requestId, route: datasetExportRoute }, 'dataset export failed midway');
      res.destroy();
    }
  }

  return { match, serve };
}
