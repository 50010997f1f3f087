import { raw } from '@mikro-orm/core';
import { PredictionLog, ServiceCall, type Em } from '@mlapi/db';
import type { HistoryEntryDto, PageQuery } from '@mlapi/schemas';
import { toServiceCallDto } from './user-dto.ts';

/**
 * One page of a user's calls, newest first, each with what it predicted: its first prediction id (for feedback),
 * how many predictions it made, and the output of a single prediction. Two reads on top of the page: one grouped
 * over the page's calls, one for the outputs of the single predictions — never more than the page holds.
 */
export async function callHistory(em: Em, ownerId: number, page: PageQuery) {
  const [calls, total] = await em.findAndCount(
    ServiceCall,
    { owner: ownerId },
    { orderBy: { requestTime: 'desc', id: 'desc' }, limit: page.limit, offset: page.offset },
  );
  const summaries = calls.length
    ? ((await em
        .createQueryBuilder(PredictionLog, 'p')
        .select(['p.service_call_id', raw('min(p.id) as first_id'), raw('count(*) as n')])
        .where({ serviceCall: { $in: calls.map((c) => c.id) } })
        .groupBy('p.service_call_id')
        .execute('all', false)) as Record<string, unknown>[])
    : [];
  const byCall = new Map(summaries.map((s) => [Number(s.service_call_id), { first: Number(s.first_id), n: Number(s.n) }]));
  const singles = [...byCall.values()].filter((s) => s.n === 1).map((s) => s.first);
  const outputs = singles.length
    ? new Map((await em.find(PredictionLog, { id: { $in: singles } }, { fields: ['id', 'output'] })).map((p) => [p.id, p.output]))
    : new Map<number, Record<string, unknown>>();
  const items: HistoryEntryDto[] = calls.map((call) => {
    const s = byCall.get(call.id);
    return {
      ...toServiceCallDto(call),
      prediction_id: s?.first ?? null,
      predictions: s?.n ?? 0,
      result: s?.n === 1 ? ((outputs.get(s.first) as Record<string, unknown> | undefined) ?? null) : null,
    };
  });
  return { items, total, limit: page.limit, offset: page.offset };
}
