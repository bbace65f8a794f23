// Import this FIRST in a jest spec that runs onnxruntime-node.
//
// Jest evaluates test modules in a vm context whose Float32Array differs from the main context's. The
// onnxruntime-node addon creates output arrays in the main context, and onnxruntime-common then rejects them
// ("A float32 tensor's data must be type of function Float32Array()") because its instanceof check uses the
// sandbox's constructor. Pointing the sandbox global at the main-context constructor before onnxruntime loads
// makes both sides agree. Plain node (the api, the worker) never needs this.
import { runInThisContext } from 'node:vm';

const mainFloat32Array = runInThisContext('Float32Array') as Float32ArrayConstructor;
if (globalThis.Float32Array !== mainFloat32Array) {
  globalThis.Float32Array = mainFloat32Array;
}
