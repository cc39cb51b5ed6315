// Every error the engine raises on purpose is one of these, so callers can tell a bad model
// (ModelError) from a bad plan (ArenaError), a kernel's refusal (OpError) and misuse of the
// API (UsageError). Messages name what is wrong and where.

export class TfliteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TfliteError';
  }
}

/** The model file is malformed or asks for something the engine cannot represent. */
export class ModelError extends TfliteError {
  constructor(message: string) {
    super(message);
    this.name = 'ModelError';
  }
}

/** An operator cannot run as the model describes it (prepare-time validation or no kernel). */
export class OpError extends TfliteError {
  readonly opName: string;
  readonly opIndex: number;
  constructor(opName: string, opIndex: number, message: string) {
    super(`${opName} (operator ${opIndex}): ${message}`);
    this.name = 'OpError';
    this.opName = opName;
    this.opIndex = opIndex;
  }
}

/** The arena given to the interpreter is smaller than the plan needs. */
export class ArenaError extends TfliteError {
  readonly bytesNeeded: number;
  readonly bytesGiven: number;
  constructor(bytesNeeded: number, bytesGiven: number, message?: string) {
    super(message ?? `arena too small: the model needs ${bytesNeeded} bytes, the arena has ${bytesGiven}`);
    this.name = 'ArenaError';
    this.bytesNeeded = bytesNeeded;
    this.bytesGiven = bytesGiven;
  }
}

/** The API was called the wrong way (bad index, wrong input size, invoke before allocate). */
export class UsageError extends TfliteError {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
