import type { CallLogRepository } from '@mlapi/db';
import type { HistoryEntryDto, PageQuery } from '@mlapi/schemas';
import { pageReply, pageRequest } from '../../core/pages.ts';
import { toServiceCallDto } from '../users/user-dto.ts';

/**
 * One page of a user's calls, newest first, each with what it predicted: its first prediction id (for feedback),
 * how many predictions it made, and the output of a single prediction.
 */
export async function callHistory(callLog: CallLogRepository, ownerId: number, page: PageQuery) {
  return pageReply(page, await callLog.history(ownerId, pageRequest(page)), (call): HistoryEntryDto => ({
    ...toServiceCallDto(call),
    prediction_id: call.firstPredictionId,
    predictions: call.predictions,
    result: call.output,
  }));
}
