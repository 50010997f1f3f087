import { PredictionLog } from './prediction-log.entity.ts';
import { ServiceCall } from './service-call.entity.ts';
import { User } from './user.entity.ts';

export * from './prediction-log.entity.ts';
export * from './service-call.entity.ts';
export * from './user.entity.ts';

/** Every entity the ORM knows; migrations are generated from exactly this list. */
export const entities = [User, ServiceCall, PredictionLog];
