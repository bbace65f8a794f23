import 'reflect-metadata';
import { BadRequestException, ValidationPipe } from '@nestjs/common';
import { CalibrateCameraDto, CreateCameraDto, UpdateCameraDto } from './camera.dto';

// The API's global pipe (apps/api bootstrap.ts).
const pipe = new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true });
const base = { name: 'Gate', sourceType: 'file', sourceUrl: 'sample.mp4' };

async function messages(metatype: new () => object, body: unknown): Promise<string[]> {
  try {
    await pipe.transform(body, { type: 'body', metatype });
    return [];
  } catch (err) {
    if (!(err instanceof BadRequestException)) throw err;
    return (err.getResponse() as { message: string[] }).message;
  }
}

const line = { id: 'l1', name: 'Door', a: [0, 360], b: [1280, 360], inDirection: 'left', widthM: 2 };
const zone = { id: 'z1', name: 'Hall', polygon: [[0, 0], [100, 0], [100, 100]], capacity: 50 };

describe('camera settings DTOs (global ValidationPipe)', () => {
  it.each([
    { why: 'no settings', settings: undefined },
    { why: 'empty settings', settings: {} },
    { why: 'empty parts', settings: { detection: {}, analytics: {}, annotation: {}, recording: {} } },
    {
      why: 'what the console sends (calibration editor save)',
      settings: { detection: { confidence: 0.4, iou: 0.5, maxDetections: 300, tiling: 'scheduled', roi: [[0, 0.5], [1, 0.5], [1, 1]], gmc: 'off' }, analytics: { lines: [line] } },
    },
    { why: 'roi null', settings: { detection: { roi: null } } },
    { why: 'annotation and recording', settings: { annotation: { riskColors: false, confidence: true, arrows: true }, recording: { continuous: true } } },
    { why: 'risk override', settings: { risk: { defaults: { thresholds: { caution: 10, warning: 20, critical: 30 } } } } },
  ])('accepts $why', async ({ settings }) => {
    expect(await messages(CreateCameraDto, { ...base, ...(settings === undefined ? {} : { settings }) })).toEqual([]);
  });

  it.each([
    { why: 'confidence > 1', settings: { detection: { confidence: 7 } }, message: 'settings.detection.confidence must not be greater than 1' },
    { why: 'confidence < 0.01', settings: { detection: { confidence: 0 } }, message: 'settings.detection.confidence must not be less than 0.01' },
    { why: 'iou not a number', settings: { detection: { iou: 'high' } }, message: 'settings.detection.iou must be a number conforming to the specified constraints' },
    { why: 'maxDetections fractional', settings: { detection: { maxDetections: 1.5 } }, message: 'settings.detection.maxDetections must be an integer number' },
    { why: 'maxDetections too large', settings: { detection: { maxDetections: 10_001 } }, message: 'settings.detection.maxDetections must not be greater than 10000' },
    { why: 'tiling unknown', settings: { detection: { tiling: 'always' } }, message: 'settings.detection.tiling must be one of the following values: off, on, auto, scheduled' },
    { why: 'gmc unknown', settings: { detection: { gmc: 'orb' } }, message: 'settings.detection.gmc must be one of the following values: off, sparseOptFlow' },
    { why: 'roi point outside 0..1', settings: { detection: { roi: [[0, 0], [2, 0], [1, 1]] } }, message: 'settings.detection.roi must be an array of 3 to 64 [x, y] points with 0 <= x, y <= 1' },
    { why: 'roi a string', settings: { detection: { roi: 'left' } }, message: 'settings.detection.roi must be an array of 3 to 64 [x, y] points with 0 <= x, y <= 1' },
    { why: 'unknown detection key', settings: { detection: { confidance: 0.5 } }, message: 'settings.detection.property confidance should not exist' },
    { why: 'unknown settings key', settings: { alerts: { x: 1 } }, message: 'settings.property alerts should not exist' },
    { why: 'lines not an array', settings: { analytics: { lines: {} } }, message: 'settings.analytics.lines must be an array' },
    { why: 'line widthM 0', settings: { analytics: { lines: [{ ...line, widthM: 0 }] } }, message: 'settings.analytics.lines.0.widthM must be greater than 0' },
    { why: 'line endpoint not [x, y]', settings: { analytics: { lines: [{ ...line, a: [1] }] } }, message: 'settings.analytics.lines.0.a must be [x, y], 2 finite numbers' },
    { why: 'line direction', settings: { analytics: { lines: [{ ...line, inDirection: 'up' }] } }, message: 'settings.analytics.lines.0.inDirection must be one of the following values: left, right' },
    { why: 'annotation not boolean', settings: { annotation: { arrows: 'yes' } }, message: 'settings.annotation.arrows must be a boolean value' },
    { why: 'recording not boolean', settings: { recording: { continuous: 1 } }, message: 'settings.recording.continuous must be a boolean value' },
    { why: 'risk thresholds out of order', settings: { risk: { defaults: { thresholds: { caution: 50, warning: 20, critical: 30 } } } }, message: 'settings.risk.defaults.thresholds' },
    { why: 'risk unknown field', settings: { risk: { colour: 'red' } }, message: 'settings.risk.colour: unknown field' },
  ])('refuses $why, naming the field', async ({ settings, message }) => {
    const got = await messages(CreateCameraDto, { ...base, settings });
    expect(got.length).toBeGreaterThan(0);
    expect(got.join(' | ')).toContain(message);
  });

  it.each([
    { why: 'zone polygon with 2 points', body: { zones: [{ ...zone, polygon: [[0, 0], [1, 1]] }] }, message: 'zones.0.polygon must be an array of 3 to 256 [x, y] points' },
    { why: 'zone without id', body: { zones: [{ ...zone, id: '' }] }, message: 'zones.0.id must be longer than or equal to 1 characters' },
    { why: 'zone capacity 0', body: { zones: [{ ...zone, capacity: 0 }] }, message: 'zones.0.capacity must be greater than 0' },
    { why: 'unknown zone key', body: { zones: [{ ...zone, colour: 'red' }] }, message: 'zones.0.property colour should not exist' },
    { why: 'calibration frame width 0', body: { calibrationData: { frame: { width: 0, height: 720 }, manual: { floorAreaM2: 10 } } }, message: 'calibrationData.frame.width must not be less than 1' },
    { why: 'calibration point not [x, y]', body: { calibrationData: { frame: { width: 1280, height: 720 }, points: [{ image: [1, 2], world: [null, 3] }] } }, message: 'calibrationData.points.0.world must be [x, y]' },
    { why: 'calibration matrix of 8', body: { calibrationData: { kind: 'homography', imageToGround: [1, 0, 0, 0, 1, 0, 0, 0] } }, message: 'calibrationData.imageToGround must be 9 finite numbers' },
  ])('update refuses $why, naming the field', async ({ body, message }) => {
    expect((await messages(UpdateCameraDto, body)).join(' | ')).toContain(message);
  });

  it('update accepts a stored Calibration and zones as the API returns them', async () => {
    const calibrationData = {
      kind: 'scale', approximate: true, frame: { width: 1280, height: 720 }, imageToGround: [1, 0, 0, 0, 1, 0, 0, 0, 1], groundToImage: [1, 0, 0, 0, 1, 0, 0, 0, 1],
      floorPolygon: [[0, 0], [1280, 0], [1280, 720]], floorAreaM2: 12, rmsErrorPx: 0, rmsErrorM: 0, maxErrorPx: 0, maxErrorM: 0, pointCount: 2, warnings: ['approximate'], input: { frame: { width: 1280, height: 720 }, scale: { a: [0, 0], b: [100, 0], distanceM: 5 } },
    };
    expect(await messages(UpdateCameraDto, { calibrationData, zones: [zone], settings: { analytics: { lines: [line] } } })).toEqual([]);
  });

  it.each([
    { why: 'raw scale input with lines', body: { calibrationData: { frame: { width: 1280, height: 720 }, scale: { a: [0, 0], b: [100, 0], distanceM: 5 } }, lines: [line], save: false }, message: null },
    { why: 'bad line', body: { calibrationData: { frame: { width: 1280, height: 720 }, manual: { floorAreaM2: 5 } }, lines: [{ ...line, name: 3 }] }, message: 'lines.0.name must be a string' },
  ])('calibrate: $why', async ({ body, message }) => {
    const got = await messages(CalibrateCameraDto, body);
    if (message === null) expect(got).toEqual([]);
    else expect(got.join(' | ')).toContain(message);
  });
});
