export * from './admin.ts';
export * from './auth.ts';
export * from './health.ts';
export * from './pagination.ts';
export * from './service-call.ts';
export * from './user.ts';
export * from './ml.ts';
export * from './api-key.ts';
