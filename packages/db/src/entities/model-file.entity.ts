import { defineEntity, p } from '@mikro-orm/core';

/**
 * One file of a registered model (an ONNX graph, a manifest, a built-in model's weights), stored once however many
 * versions hold it: keyed by the SHA-256 of its bytes, so every replica loads exactly the bytes that were registered.
 */
export const ModelFile = defineEntity({
  name: 'ModelFile',
  tableName: 'model_files',
  properties: {
    sha256: p.string().length(64).primary(),
    size: p.bigint('number'),
    bytes: p.blob(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
