// Worker-thread entry of ThreadedFidtCounter: owns a FidtCounter so that session.run (synchronous in
// onnxruntime-node, seconds per image) blocks this thread instead of the process's event loop.
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { toWireError } from '../detector/detector-thread.protocol';
import { FidtCounter } from './fidt-counter';
import type { FidtThreadInit, FidtThreadReply, FidtThreadRequest } from './fidt-thread.protocol';

function serve(port: MessagePort, init: FidtThreadInit): void {
  const post = (msg: FidtThreadReply) => port.postMessage(msg);
  let counter: FidtCounter | undefined;
  port.on('message', (msg: FidtThreadRequest) => {
    if (msg.type === 'count') {
      const { id, width, height, buffer } = msg;
      const run = counter
        ? counter.count({ data: new Uint8Array(buffer), width, height }, { ...(msg.maxSide === undefined ? {} : { maxSide: msg.maxSide }), ...(msg.scale === undefined ? {} : { scale: msg.scale }) })
        : Promise.reject(new Error('FIDT thread is not ready'));
      run.then(
        (result) => post({ type: 'result', id, result }),
        (e: unknown) => post({ type: 'failed', id, error: toWireError(e) }),
      );
    } else if (msg.type === 'close') {
      const c = counter;
      counter = undefined;
      void (c ? c.close() : Promise.resolve()).finally(() => port.close());
    }
  });
  FidtCounter.load(init.options).then(
    (c) => {
      counter = c;
      post({ type: 'ready', info: c.info });
    },
    (e: unknown) => {
      post({ type: 'load-failed', error: toWireError(e) });
      port.close();
    },
  );
}

if (!parentPort) throw new Error('fidt.thread runs inside a worker thread started by ThreadedFidtCounter');
serve(parentPort, workerData as FidtThreadInit);
