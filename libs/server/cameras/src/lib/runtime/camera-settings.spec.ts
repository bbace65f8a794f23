import 'reflect-metadata';
import { ValidationPipe } from '@nestjs/common';
import { UpdateCameraDto } from '../api/camera.dto';
import { CameraSettingsError, parseCameraSettings, storedCalibrationData, storedCameraSettings, storedCameraZones } from './camera-settings';

const line = { id: 'l1', name: 'Door', a: [0, 360], b: [1280, 360], inDirection: 'left', widthM: 2 };

describe('parseCameraSettings', () => {
  it.each([
    { why: 'undefined', raw: undefined, out: {} },
    { why: 'null', raw: null, out: {} },
    { why: 'empty', raw: {}, out: {} },
    { why: 'empty parts', raw: { detection: {}, analytics: {}, annotation: {}, recording: {} }, out: { detection: {}, analytics: {}, annotation: {}, recording: {} } },
    {
      why: 'every part',
      raw: {
        detection: { confidence: 0.4, iou: 0.5, maxDetections: 300, tiling: 'auto', roi: [[0, 0.5], [1, 0.5], [1, 1]], gmc: 'sparseOptFlow' },
        analytics: { lines: [line] },
        risk: { defaults: { thresholds: { caution: 10, warning: 20, critical: 30 } } },
        annotation: { riskColors: false },
        recording: { continuous: false },
      },
      out: null,
    },
    { why: 'roi null', raw: { detection: { roi: null } }, out: { detection: { roi: null } } },
  ])('accepts $why', ({ raw, out }) => {
    expect(parseCameraSettings(raw)).toEqual(out ?? raw);
  });

  it.each([
    { why: 'not an object', raw: [1], problems: ['settings must be an object'] },
    { why: 'unknown key', raw: { alerts: { x: 1 } }, problems: ['settings.alerts: unknown field (allowed: detection, analytics, risk, annotation, recording)'] },
    { why: 'detection confidence', raw: { detection: { confidence: 7 } }, problems: ['settings.detection.confidence must be a number in [0.01, 1], got 7'] },
    { why: 'roi without area', raw: { detection: { roi: [[0, 0], [0.5, 0.5], [1, 1]] } }, problems: ['settings.detection.roi encloses no area'] },
    { why: 'analytics not an object', raw: { analytics: [] }, problems: ['settings.analytics must be an object { lines? }'] },
    { why: 'analytics unknown key', raw: { analytics: { zones: [] } }, problems: ['settings.analytics: unknown field (allowed: lines)'] },
    { why: 'lines not an array', raw: { analytics: { lines: 'l1' } }, problems: ['settings.analytics.lines must be an array of counting lines'] },
    { why: 'risk unknown field', raw: { risk: { colour: 1 } }, problems: ['settings.risk.colour: unknown field'] },
    { why: 'annotation not boolean', raw: { annotation: { arrows: 1 } }, problems: ['settings.annotation.arrows must be true or false'] },
    { why: 'recording not boolean', raw: { recording: { continuous: 'yes' } }, problems: ['settings.recording.continuous must be true or false'] },
    { why: 'two bad parts, both named', raw: { detection: { iou: 2 }, recording: 1 }, problems: ['settings.detection.iou must be a number in [0.01, 1], got 2', 'settings.recording must be an object { continuous? }'] },
  ])('refuses $why, naming the field', ({ raw, problems }) => {
    let caught: unknown;
    try {
      parseCameraSettings(raw);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(CameraSettingsError);
    expect((caught as CameraSettingsError).problems).toEqual(problems);
  });

  it('round-trips what the console sends through the API pipe unchanged', async () => {
    // calibration-io.ts save(): { ...camera.settings, detection: { ...detection, roi }, analytics: { ...analytics, lines } }
    const settings = {
      detection: { confidence: 0.35, roi: [[0.1, 0.5], [0.9, 0.5], [0.9, 1], [0.1, 1]] },
      analytics: { lines: [line] },
      risk: { timeZone: 'Europe/London' },
      annotation: { confidence: true },
    };
    const pipe = new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true });
    const dto = (await pipe.transform({ settings }, { type: 'body', metatype: UpdateCameraDto })) as UpdateCameraDto;
    const parsed = parseCameraSettings(dto.settings);
    expect(JSON.parse(JSON.stringify(parsed))).toEqual(settings);
  });
});

describe('storedCameraSettings', () => {
  it.each([
    { why: 'null', stored: null, out: {} },
    { why: 'an array', stored: [], out: {} },
    { why: 'an object', stored: { detection: { confidence: 0.5 } }, out: { detection: { confidence: 0.5 } } },
  ])('$why', ({ stored, out }) => expect(storedCameraSettings(stored)).toEqual(out));
});

describe('storedCameraZones / storedCalibrationData', () => {
  it.each([
    { why: 'null', stored: null, zones: [], calibration: null },
    { why: 'an object', stored: { frame: { width: 1, height: 1 } }, zones: [], calibration: { frame: { width: 1, height: 1 } } },
    { why: 'an array', stored: [{ id: 'z', name: 'Z', polygon: [] }], zones: [{ id: 'z', name: 'Z', polygon: [] }], calibration: null },
  ])('$why', ({ stored, zones, calibration }) => {
    expect(storedCameraZones(stored)).toEqual(zones);
    expect(storedCalibrationData(stored)).toEqual(calibration);
  });
});
