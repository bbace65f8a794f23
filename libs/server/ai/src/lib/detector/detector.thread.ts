// Worker-thread entry of ThreadedPersonDetector: owns an OnnxYoloDetector so that session.run (synchronous in
// onnxruntime-node) blocks this thread instead of the process's event loop. Plain Node, no Nest.
// Started by ThreadedPersonDetector.load(); not exported from the library (importing it outside a worker throws).
import { parentPort, workerData, type MessagePort, type TransferListItem } from 'node:worker_threads';
import type { RawFrame } from '@crowdsafe/contracts';
import type { DetectorThreadInit, DetectorThreadReply, DetectorThreadRequest } from './detector-thread.protocol';
import { toWireError } from './detector-thread.protocol';
import { OnnxYoloDetector } from './onnx-yolo-detector';

function serve(port: MessagePort, init: DetectorThreadInit): void {
  const post = (msg: DetectorThreadReply, transfer: TransferListItem[] = []) => port.postMessage(msg, transfer);
  let detector: OnnxYoloDetector | undefined;

  port.on('message', (msg: DetectorThreadRequest) => {
    if (msg.type === 'detect') {
      const { id, buffer } = msg;
      const frames: RawFrame[] = msg.frames.map(({ offset, length, ...meta }) => ({ ...meta, data: new Uint8Array(buffer, offset, length) }));
      const run = detector ? detector.detect(frames, msg.options) : Promise.reject(new Error('detector thread is not ready'));
      // The buffer goes back with the reply (the detector keeps no view on it once detect() settled): the main
      // thread reuses it for its next request.
      run.then(
        (r) => post({ type: 'result', id, run: r, buffer }, [buffer]),
        (e: unknown) => post({ type: 'failed', id, error: toWireError(e), buffer }, [buffer]),
      );
    } else if (msg.type === 'close') {
      const d = detector;
      detector = undefined;
      // Release the session, then let the thread end by itself (nothing left on its event loop).
      void (d ? d.close() : Promise.resolve()).finally(() => port.close());
    }
  });

  OnnxYoloDetector.load({ ...init.options, logger: { warn: (message) => post({ type: 'log', level: 'warn', message }) } }).then(
    (d) => {
      detector = d;
      post({ type: 'ready', info: d.info });
    },
    (e: unknown) => {
      post({ type: 'load-failed', error: toWireError(e) });
      port.close();
    },
  );
}

if (!parentPort) throw new Error('detector.thread runs inside a worker thread started by ThreadedPersonDetector');
serve(parentPort, workerData as DetectorThreadInit);
