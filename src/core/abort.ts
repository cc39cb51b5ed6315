// TFLM's kTfLiteAbort: a kernel may end the current invoke early, successfully (CIRCULAR_BUFFER
// does until its period comes round: the operators after it do not run this time). A kernel
// throws this one frozen object (nothing is allocated); Interpreter.invoke() catches it and
// returns false. Through IF/WHILE it ends the whole invoke, as TFLM propagates the status.
export const ABORT_INVOKE: Readonly<{ abort: string }> = Object.freeze({ abort: 'an operator ended this invoke early (kTfLiteAbort)' });
