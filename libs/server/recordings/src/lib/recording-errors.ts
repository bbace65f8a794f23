/** A refused recordings request: the controller maps it to the HTTP status with the message. */
export class RecordingRequestError extends Error {
  constructor(readonly status: 400 | 404 | 409 | 503, message: string) {
    super(message);
    this.name = 'RecordingRequestError';
  }
}
