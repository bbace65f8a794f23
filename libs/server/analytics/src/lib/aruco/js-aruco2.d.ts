// Minimal typings for the parts of js-aruco2@2.0.0 (MIT, pure JavaScript, no types shipped) that ./detect.ts uses.
// Keep this file free of top-level import/export so that the `declare module` blocks stay ambient.

declare module 'js-aruco2' {
  /** A corner in integer pixel indices (contour points of the thresholded image). */
  export interface ArucoPoint {
    x: number;
    y: number;
  }

  /** A detected marker: corners clockwise on screen starting at the marker's top-left (as printed). */
  export interface ArucoMarker {
    id: number;
    corners: ArucoPoint[];
    hammingDistance: number;
  }

  export interface ArucoImage {
    width: number;
    height: number;
    /** RGBA bytes, row-major. */
    data: Uint8ClampedArray;
  }

  export interface ArucoDictionaryDefinition {
    nBits: number;
    tau: number | null;
    codeList: ReadonlyArray<number | string | readonly number[]>;
  }

  export interface Dictionary {
    /** One '0'/'1' string of nBits per id, row-major, '1' = white cell. */
    codeList: string[];
    nBits: number;
    /** Cells per side including the black border: sqrt(nBits) + 2. */
    markSize: number;
    tau: number;
  }

  export interface Detector {
    dictionary: Dictionary;
    detect(image: ArucoImage): ArucoMarker[];
    /**
     * Internal step of `detect` (overridable per instance): drops the smaller of two candidate quadrilaterals whose
     * corners are within `minDist` px on average.
     */
    notTooNear(candidates: ArucoPoint[][], minDist: number): ArucoPoint[][];
  }

  /** The module's only export (the library sets `this.AR`, i.e. module.exports.AR, under CommonJS). */
  export const AR: {
    DICTIONARIES: Record<string, ArucoDictionaryDefinition | undefined>;
    /** Throws a string when the dictionary is not registered. */
    Dictionary: new (dictionaryName: string) => Dictionary;
    Detector: new (config?: { dictionaryName?: string; maxHammingDistance?: number }) => Detector;
  };
}

// Side-effect modules: each registers one dictionary in AR.DICTIONARIES.
declare module 'js-aruco2/src/dictionaries/aruco_4x4_1000';
declare module 'js-aruco2/src/dictionaries/aruco_5x5_1000';
declare module 'js-aruco2/src/dictionaries/aruco_6x6_1000';
declare module 'js-aruco2/src/dictionaries/aruco_7x7_1000';
declare module 'js-aruco2/src/dictionaries/aruco_default_opencv';
declare module 'js-aruco2/src/dictionaries/apriltag_36h11';
