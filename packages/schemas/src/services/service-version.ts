import { z } from 'zod';

const versions = ['v1', 'v2'] as const;

/** A model service, by the version in its path: v1 classifies e-mail as spam or ham, v2 prices a house. */
export type ServiceVersion = (typeof versions)[number];

/** Every model service, in order. */
export const serviceVersions: readonly ServiceVersion[] = Object.freeze([...versions]);

/** A service version on the wire. */
export const serviceVersionSchema = z.enum(versions);
