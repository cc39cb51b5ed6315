// The flexbuffers encoder of the host tools (src/dev/flexbuffers-writer.ts), for the reader's
// and the custom ops' tests: flexbuffersMap(entries, { width, keyWidth, rootWidth }).
export { flexbuffersMap } from '../../src/dev/flexbuffers-writer.ts';
