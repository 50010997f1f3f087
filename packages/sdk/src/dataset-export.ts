import type { DatasetExportQuery } from '@mlapi/schemas';
import type { MlapiClient } from './client.ts';
import { MlapiError } from './errors.ts';

/** What an export takes: the service, and optionally the format (default jsonl), train_only and a window. */
export type DatasetExportInput = Pick<DatasetExportQuery, 'service'> & Partial<Omit<DatasetExportQuery, 'service'>>;

/**
 * A service's labelled examples (GET /admin/datasets/{service}) as the server streams them: JSONL or CSV bytes, read
 * as they arrive (a million examples need no more memory than a few). The query is checked first over tRPC
 * (`datasets.exportCheck`), so bad input or missing rights throw an MlapiError naming the field, as any call does.
 *
 * ```ts
 * const stream = await exportDataset(mlapi, { service: 'v2', train_only: true });
 * await pipeline(Readable.fromWeb(stream), createWriteStream('v2.jsonl'));
 * ```
 */
export async function exportDataset(
  client: MlapiClient,
  input: DatasetExportInput,
  fetchImpl: typeof globalThis.fetch = globalThis.fetch,
): Promise<ReadableStream<Uint8Array>> {
  const q = await client.datasets.exportCheck.query(input);
  const params = new URLSearchParams({ format: q.format, train_only: String(q.train_only) });
  if (q.from) params.set('from', q.from);
  if (q.to) params.set('to', q.to);
  const path = 'datasets.export';
  let res: Response;
  try {
    res = await fetchImpl(`${client.url}/admin/datasets/${q.service}?${params}`, {
      headers: client.token ? { authorization: `Bearer ${client.token}` } : {},
    });
  } catch (err) {
    throw MlapiError.fromUnknown(err, client.url, path);
  }
  if (!res.ok || !res.body)
    throw new MlapiError(`the export answered HTTP ${res.status}: ${(await res.text()).slice(0, 500)}`, {
      code: 'BAD_RESPONSE',
      status: res.status,
      url: client.url,
      path,
    });
  return res.body;
}
