import type { JsonObject } from '@crowdsafe/server-database';

/** The camera fields a sample layout file may set (the camera.json format of docs/calibration/README.md). */
export interface SampleCameraLayout {
  calibrationData: JsonObject | null;
  zones: JsonObject[];
  capacity: number | null;
  settings: JsonObject;
}

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The floor layout of the bundled sample camera from a camera.json (e.g. docs/calibration/hall.json): calibration,
 * zones, capacity and counting lines, so the quickstart shows density, flow and a risk level rather than a bare count.
 * Of the file's detector overrides only `confidence` is taken (the hall's tuned threshold: the global 0.5 finds about a
 * quarter of its people); tiling is not, as it would cut the demo's frame rate to a fraction. Shapes are checked by the runtime when the camera starts (a bad calibration turns
 * analytics off with the reason); here only the container types are checked. Throws naming the field.
 */
export function sampleCameraLayout(raw: unknown, source: string): SampleCameraLayout {
  if (!isObject(raw)) throw new Error(`${source}: expected a JSON object`);
  const { calibrationData, zones, capacity, analytics, detection } = raw;
  if (calibrationData !== undefined && calibrationData !== null && !isObject(calibrationData)) throw new Error(`${source}: calibrationData must be an object`);
  if (zones !== undefined && (!Array.isArray(zones) || !zones.every(isObject))) throw new Error(`${source}: zones must be an array of objects`);
  if (capacity !== undefined && capacity !== null && !(typeof capacity === 'number' && Number.isInteger(capacity) && capacity > 0)) {
    throw new Error(`${source}: capacity must be a positive integer`);
  }
  if (analytics !== undefined && analytics !== null && !isObject(analytics)) throw new Error(`${source}: analytics must be an object`);
  const confidence = isObject(detection) ? detection['confidence'] : undefined;
  if (confidence !== undefined && !(typeof confidence === 'number' && confidence > 0 && confidence < 1)) {
    throw new Error(`${source}: detection.confidence must be a number between 0 and 1`);
  }
  return {
    calibrationData: (calibrationData as JsonObject | undefined) ?? null,
    zones: (zones as JsonObject[] | undefined) ?? [],
    capacity: (capacity as number | undefined) ?? null,
    settings: {
      ...(analytics ? { analytics: analytics as JsonObject } : {}),
      ...(confidence !== undefined ? { detection: { confidence } } : {}),
    },
  };
}
