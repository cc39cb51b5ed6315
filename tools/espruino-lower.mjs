// The rollup plugin that makes the Espruino module (dist/espruino/tflite-xs.js) from the bundled
// ES2022 chunk: TypeScript lowers it to ES5 (default parameters, destructuring, spread and rest,
// computed keys, `**`, `?.`, `??`, for (let) closures, classes), a transform of ours moves every
// function declaration to the top of its body (Espruino does not hoist them, and the ES5 class
// pattern calls __extends(C, Base) before `function C`), our own helpers replace TypeScript's
// (its __extends inherits statics through Object.setPrototypeOf, which Espruino ignores for
// lookups), and tools/espruino-prelude.js supplies the library functions Espruino lacks.
// The result is a CommonJS-style module body: Espruino's require() evaluates a module file (from
// Storage, node_modules/ on its Linux build, or what the Web IDE uploads) with `module` and
// `exports` in scope.
import fs from 'node:fs';
import ts from 'typescript';

const PRELUDE = fs.readFileSync(new URL('./espruino-prelude.js', import.meta.url), 'utf8');

// ES5 versions of the TypeScript helpers the lowered code may call.
const HELPERS = {
  __extends: `function __extends(d, b) {
  // Statics are copied: Espruino looks nothing up through a constructor's own prototype.
  for (var p in b) if (Object.prototype.hasOwnProperty.call(b, p)) d[p] = b[p];
  // defineProperty, not an assignment: a frozen base prototype's constructor would refuse it.
  var p = Object.create(b.prototype);
  Object.defineProperty(p, 'constructor', { value: d, writable: true, enumerable: false, configurable: true });
  d.prototype = p;
}`,
  __assign: `function __assign(t) {
  for (var i = 1; i < arguments.length; i++) {
    var s = arguments[i];
    for (var p in s) if (Object.prototype.hasOwnProperty.call(s, p)) t[p] = s[p];
  }
  return t;
}`,
  __rest: `function __rest(s, e) {
  var t = {};
  for (var p in s) if (Object.prototype.hasOwnProperty.call(s, p) && e.indexOf(p) < 0) t[p] = s[p];
  return t;
}`,
  __spreadArray: `function __spreadArray(to, from) {
  for (var i = 0; i < from.length; i++) to.push(from[i]);
  return to;
}`,
  __classPrivateFieldGet: `function __classPrivateFieldGet(receiver, state, kind, f) {
  if (kind === 'a' && !f) throw new TypeError('Private accessor was defined without a getter');
  if (typeof state === 'function' ? receiver !== state || !f : !state.has(receiver)) throw new TypeError('Cannot read private member from an object whose class did not declare it');
  return kind === 'm' ? f : kind === 'a' ? f.call(receiver) : f ? f.value : state.get(receiver);
}`,
  __sameObject: `function __sameObject(a, b) {
  if (typeof E !== 'undefined' && E.getAddressOf && a instanceof ArrayBuffer && b instanceof ArrayBuffer) return E.getAddressOf(a, false) === E.getAddressOf(b, false);
  return a === b;
}`,
  __makeTemplateObject: `function __makeTemplateObject(cooked, raw) {
  cooked.raw = raw;
  return cooked;
}`,
};

/**
 * Espruino's === compares two ArrayBuffers by their bytes: slowly (about 0.3 s for 30 KB on a
 * desktop), and two distinct buffers of equal bytes are ===. Every comparison with an operand
 * that names a buffer (`x.buffer`, `buffer`, `arenaBuffer` ...) becomes __sameObject(a, b), which
 * compares ArrayBuffers by identity there. Kernels compare buffers in prepare to find a view they
 * share; an === between buffers under any other name is not caught (the test scans for it).
 */
const namesBuffer = node => (ts.isPropertyAccessExpression(node) && /buffer$/i.test(node.name.text)) || (ts.isIdentifier(node) && /buffer$/i.test(node.text));
function bufferIdentity(context) {
  const f = ts.factory;
  const visit = node => {
    node = ts.visitEachChild(node, visit, context);
    if (ts.isBinaryExpression(node) && (node.operatorToken.kind === ts.SyntaxKind.EqualsEqualsEqualsToken || node.operatorToken.kind === ts.SyntaxKind.ExclamationEqualsEqualsToken) &&
      (namesBuffer(node.left) || namesBuffer(node.right))) {
      const call = f.createCallExpression(f.createIdentifier('__sameObject'), undefined, [node.left, node.right]);
      return node.operatorToken.kind === ts.SyntaxKind.EqualsEqualsEqualsToken ? call : f.createPrefixUnaryExpression(ts.SyntaxKind.ExclamationToken, call);
    }
    return node;
  };
  return sourceFile => visit(sourceFile);
}

/** Moves the function declarations of every statement list before its other statements (after its directives). */
function hoistFunctions(context) {
  const f = ts.factory;
  const reorder = statements => {
    const directives = [], functions = [], rest = [];
    let prologue = true;
    for (const s of statements) {
      if (prologue && ts.isExpressionStatement(s) && ts.isStringLiteral(s.expression)) { directives.push(s); continue; }
      prologue = false;
      (ts.isFunctionDeclaration(s) ? functions : rest).push(s);
    }
    return [...directives, ...functions, ...rest];
  };
  const visit = node => {
    node = ts.visitEachChild(node, visit, context);
    if (ts.isSourceFile(node)) return f.updateSourceFile(node, reorder(node.statements));
    if (ts.isBlock(node)) return f.updateBlock(node, reorder(node.statements));
    if (ts.isCaseClause(node)) return f.updateCaseClause(node, node.expression, reorder(node.statements));
    if (ts.isDefaultClause(node)) return f.updateDefaultClause(node, reorder(node.statements));
    return node;
  };
  return sourceFile => visit(sourceFile);
}

function transpile(code) {
  const out = ts.transpileModule(code, {
    compilerOptions: {
      target: ts.ScriptTarget.ES5,
      module: ts.ModuleKind.CommonJS,
      noEmitHelpers: true,
      downlevelIteration: false,
      removeComments: true,
      ignoreDeprecations: '6.0',
      alwaysStrict: false,
    },
    reportDiagnostics: true,
    transformers: { after: [bufferIdentity, hoistFunctions] },
  });
  const errors = (out.diagnostics ?? []).filter(d => d.category === ts.DiagnosticCategory.Error);
  if (errors.length) throw new Error(`lowering for Espruino: ${errors.map(d => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('; ')}`);
  return out.outputText;
}

/** Lowers one script (the bundle, an IIFE) to what Espruino runs; returns the module text. */
export function lowerForEspruino(code, { banner = '', exportsName } = {}) {
  const body = transpile(code);
  const used = [...new Set(body.match(/\b__[a-zA-Z]+(?=\()/g) ?? [])].filter(n => /^__(sameObject|extends|assign|rest|spread\w*|makeTemplateObject|read|values|awaiter|generator|classPrivate\w*|decorate|param|metadata|createBinding|exportStar|importStar|importDefault|setFunctionName|propKey|esDecorate|runInitializers|addDisposableResource|disposeResources|rewriteRelativeImportExtension)$/.test(n));
  const missing = used.filter(n => !HELPERS[n]);
  if (missing.length) throw new Error(`lowering for Espruino: the lowered code calls TypeScript helpers with no Espruino version: ${missing.join(', ')}`);
  const helpers = used.map(n => HELPERS[n]).join('\n');
  // Once more with the prelude and helpers, so that their function declarations are hoisted too.
  const text = transpile(`${PRELUDE}${helpers}\n${body}module.exports = ${exportsName};\n`);
  // Espruino keeps the module's text in flash: indentation is a quarter of it. ES5 as TypeScript
  // prints it has no multi-line string or template, so no line starts inside a literal.
  return `${banner}${text.split('\n').map(line => line.trimStart()).join('\n')}`;
}

/** Rollup plugin: the chunk (format iife, output.name set) becomes an Espruino module. */
export function espruinoModule({ banner = '' } = {}) {
  return {
    name: 'tflite-xs-espruino',
    renderChunk(code, chunk, options) {
      return { code: lowerForEspruino(code, { banner, exportsName: options.name }), map: null };
    },
  };
}

/**
 * Rollup plugin: with `ops` (operator names, e.g. from ESPRUINO_OPS=FULLY_CONNECTED,SOFTMAX),
 * src/espruino/kernels.ts is replaced by a module that lists only those kernels, so that the
 * Espruino module carries only what an app's models use (it lives in flash on the board).
 */
export function espruinoKernels(ops) {
  if (!ops || ops.length === 0) return { name: 'tflite-xs-espruino-kernels' };
  const dirs = ['src/kernels', 'src/kernels/signal'];
  const where = new Map();
  for (const dir of dirs) {
    for (const f of fs.readdirSync(dir).filter(f => f.endsWith('.ts') && !['index.ts', 'all.ts'].includes(f))) {
      for (const m of fs.readFileSync(`${dir}/${f}`, 'utf8').matchAll(/^export const ([A-Z][A-Z0-9_]*)\s*:\s*Kernel\b/gm)) where.set(m[1], `${process.cwd()}/${dir}/${f}`);
    }
  }
  const unknown = ops.filter(op => !where.has(op));
  if (unknown.length) throw new Error(`ESPRUINO_OPS names no kernel: ${unknown.join(', ')} (known: ${[...where.keys()].sort().join(', ')})`);
  const ID = '\0tflite-xs-espruino-kernels';
  return {
    name: 'tflite-xs-espruino-kernels',
    resolveId(source, importer) {
      return source === './kernels.js' && importer && importer.endsWith('src/espruino/index.ts') ? ID : null;
    },
    load(id) {
      if (id !== ID) return null;
      return `${ops.map(op => `import { ${op} } from ${JSON.stringify(where.get(op))};`).join('\n')}\n` +
        `export const ESPRUINO_KERNELS = Object.freeze([${ops.join(', ')}]);\n`;
    },
  };
}
