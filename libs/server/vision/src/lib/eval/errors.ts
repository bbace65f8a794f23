/** Malformed evaluation input (a bad row, a bad JSON shape, a truncated .mat); the message is one line. */
export class EvalInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EvalInputError';
  }
}
