import { p } from '@mikro-orm/core';
import { serviceVersions } from '@mlapi/schemas';

/**
 * What a prediction is — which model made it from what, what it answered, and the truth once known — as the
 * prediction log and a labelled example both keep it (fresh builders for each entity).
 */
export const predictionFields = () =>
  ({
    serviceVersion: p.enum([...serviceVersions]),
    modelName: p.string().length(127),
    modelVersion: p.string().length(63),
    input: p.json<Record<string, unknown>>(),
    output: p.json<Record<string, unknown>>(),
    predictedValue: p.double().nullable(),
    predictedLabel: p.string().length(127).nullable(),
    trueValue: p.double().nullable(),
    trueLabel: p.string().length(127).nullable(),
  }) as const;
