// Automatic ground-plane calibration from ArUco / AprilTag markers on the floor (see the README section).
export {
  ARUCO_DICTIONARIES,
  detectMarkers,
  markerBits,
  dictionarySize,
  type ArucoDictionaryName,
  type RasterImage,
  type MarkerCorners,
  type MarkerDetection,
  type DetectMarkersOptions,
} from './detect';
export {
  calibrateFromMarkers,
  markerWorldCorners,
  MARKER_INCONSISTENT_PX,
  SINGLE_MARKER_TINY_SHARE,
  type MarkerPlacement,
  type MarkerLayout,
  type MarkerCalibrationInput,
  type MarkerCalibration,
  type UsedMarker,
} from './calibrate';
