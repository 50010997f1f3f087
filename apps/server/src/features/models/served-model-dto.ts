import type { Model } from '@mlapi/ml';
import type { ServedModelDto, ServiceVersion } from '@mlapi/schemas';
import type { ServedModels } from './served-models.ts';

/** What an ONNX-backed model adds to the Model interface (see @mlapi/onnx). */
export interface LoadedFromFiles {
  source?: 'onnx';
  directory?: string;
  sha256?: string;
}

function describeModel(service: ServiceVersion, model: Model<unknown, unknown>, servingSince: Date): ServedModelDto {
  const files = model as LoadedFromFiles;
  return {
    service,
    name: model.name,
    version: model.version,
    source: files.source === 'onnx' ? 'onnx' : 'builtin',
    task: model.task,
    labels: model.labels ? [...model.labels] : null,
    directory: files.directory ?? null,
    sha256: files.sha256 ?? null,
    loaded: model.isLoaded(),
    serving_since: servingSince.toISOString(),
  };
}

export const describeServed = (models: ServedModels, service: ServiceVersion): ServedModelDto =>
  describeModel(service, models.current(service), models.loadedAt(service));
