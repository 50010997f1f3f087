import type { CallLogRepository } from '@mlapi/db';
import type { HistoryEntryDto, PageQuery } from '@mlapi/schemas';
import { toServiceCallDto } from '../users/user-dto.ts';

/**
 * One page of a user's calls, newest first, each with what it predicted: its first prediction id (for feedback),
 * how many predictions it made, and the output of a single prediction.
 */
export async function callHistory(callLog: CallLogRepository, ownerId: number, page: PageQuery) {
  const { items: calls, total } = await callLog.history(ownerId, page);
  const items = calls.map((call): HistoryEntryDto => ({
    ...toServiceCallDto(call),
    prediction_id: call.firstPredictionId,
    predictions: call.predictions,
    result: call.output,
  }));
  return { items, total, limit: page.limit, offset: page.offset };
}
