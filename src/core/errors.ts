// Every error the engine raises on purpose is one of these, so callers can tell a bad model
// (ModelError) from a bad plan (ArenaError), a kernel's refusal (OpError) and misuse of the
// API (UsageError). Messages name what is wrong and where.

/**
 * Sets an error's name as an own property. Assigning `this.name` fails once Error.prototype is
 * frozen (a Moddable preload, or harden()): its inherited `name` is read-only, and the error
 * would become "TypeError: set name: not writable".
 */
function named(error: Error, name: string): void {
  Object.defineProperty(error, 'name', { value: name, writable: true, enumerable: true, configurable: true });
}

export class TfliteError extends Error {
  constructor(message: string) {
    super(message);
    // Lowered to ES5 (the Espruino module), super(message) is Error.call(this, message), which
    // returns a new plain Error: give it this class's prototype. Where classes are native (XS,
    // Node) the prototype is already right and nothing is written.
    if (Object.getPrototypeOf(this) !== new.target.prototype) Object.setPrototypeOf(this, new.target.prototype);
    named(this, 'TfliteError');
  }

  /** As Error.prototype.toString, which Espruino does not reach through a lowered subclass. */
  override toString(): string {
    return this.message ? `${this.name}: ${this.message}` : this.name;
  }
}

Object.freeze(TfliteError.prototype);

/** The model file is malformed or asks for something the engine cannot represent. */
export class ModelError extends TfliteError {
  constructor(message: string) {
    super(message);
    named(this, 'ModelError');
  }
}

/** An operator cannot run as the model describes it (prepare-time validation or no kernel). */
export class OpError extends TfliteError {
  readonly opName: string;
  readonly opIndex: number;
  constructor(opName: string, opIndex: number, message: string) {
    super(`${opName} (operator ${opIndex}): ${message}`);
    named(this, 'OpError');
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
    named(this, 'ArenaError');
    this.bytesNeeded = bytesNeeded;
    this.bytesGiven = bytesGiven;
  }
}

/** The API was called the wrong way (bad index, wrong input size, invoke before allocate). */
export class UsageError extends TfliteError {
  constructor(message: string) {
    super(message);
    named(this, 'UsageError');
  }
}
