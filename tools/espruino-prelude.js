// What the Espruino module needs of the engine and Espruino (2v2x) lacks, installed only where
// absent, so in Node and XS the module runs on the engine's own functions. ES5 only: this text is
// put before the lowered bundle as it is. The numeric ones are exact (bit-exact kernels need
// fround, imul and clz32 as the standard defines them); test-host/espruino-bundle.test.mjs runs
// the golden cases with each of them in place of the engine's own.
(function () {
  function def(object, name, value) {
    if (typeof object[name] !== 'function') object[name] = value;
  }
  // Freezing keeps device modules in flash on Moddable; Espruino has nothing to keep them from.
  def(Object, 'freeze', function (o) { return o; });
  def(Object, 'isFrozen', function () { return false; });
  def(ArrayBuffer, 'isView', function (x) {
    return x !== null && typeof x === 'object' && x.buffer instanceof ArrayBuffer && typeof x.byteOffset === 'number';
  });
  def(Number, 'isInteger', function (x) { return typeof x === 'number' && isFinite(x) && Math.floor(x) === x; });
  var f32 = new Float32Array(1);
  def(Math, 'fround', function (x) { f32[0] = x; return f32[0]; });
  def(Math, 'imul', function (a, b) {
    var al = a & 0xffff, bl = b & 0xffff;
    return (al * bl + ((((a >>> 16) & 0xffff) * bl + al * ((b >>> 16) & 0xffff)) << 16)) | 0;
  });
  def(Math, 'clz32', function (x) {
    x = x >>> 0;
    if (x === 0) return 32;
    var n = 0;
    if ((x & 0xffff0000) === 0) { n += 16; x <<= 16; }
    if ((x & 0xff000000) === 0) { n += 8; x <<= 8; }
    if ((x & 0xf0000000) === 0) { n += 4; x <<= 4; }
    if ((x & 0xc0000000) === 0) { n += 2; x <<= 2; }
    if ((x & 0x80000000) === 0) n += 1;
    return n;
  });
  // Espruino's Math.round is C's round(): halves away from zero (-2.5 -> -3, not -2).
  if (Math.round(-2.5) !== -2) {
    Math.round = function (x) {
      var r = Math.floor(x);
      return x - r >= 0.5 ? r + 1 : r;
    };
  }
  // Espruino's Math.pow is exp(log(x) * y) past the ninth power: 2^23 comes out as
  // 8388607.99999..., and the kernels' exact 64-bit arithmetic (and every lowered `**`) needs
  // powers of two exact. Integer exponents go by squaring, exact wherever the result is.
  if (Math.pow(2, 23) !== 8388608 || Math.pow(2, -20) !== 1 / 1048576) {
    var pow = Math.pow;
    Math.pow = function (x, y) {
      if (y !== Math.floor(y) || y > 2100 || y < -2100) return pow(x, y);
      var n = y < 0 ? -y : y, b = y < 0 ? 1 / x : x, r = 1;
      while (n > 0) {
        if (n % 2 === 1) r *= b;
        n = Math.floor(n / 2);
        if (n > 0) b *= b;
      }
      return r;
    };
  }
  def(Math, 'trunc', function (x) { return x < 0 ? Math.ceil(x) : Math.floor(x); });
  def(Math, 'expm1', function (x) {
    // exp(x) - 1 loses every digit near 0; the series does not.
    return Math.abs(x) < 1e-5 ? x + x * x / 2 + x * x * x / 6 : Math.exp(x) - 1;
  });
  def(Math, 'tanh', function (x) {
    if (x > 20) return 1;
    if (x < -20) return -1;
    var e = Math.expm1(2 * x);
    return e / (e + 2);
  });
  def(Math, 'log2', function (x) {
    var r = Math.log(x) / Math.LN2, k = Math.round(r);
    return Math.pow(2, k) === x ? k : r;
  });
  def(Array, 'from', function (source, map) {
    var n = source.length >>> 0, out = new Array(n);
    for (var i = 0; i < n; i++) out[i] = map ? map(source[i], i) : source[i];
    return out;
  });
  def(String, 'fromCodePoint', function () {
    var s = '';
    for (var i = 0; i < arguments.length; i++) {
      var c = arguments[i];
      if (c > 0xffff) { c -= 0x10000; s += String.fromCharCode(0xd800 + (c >> 10), 0xdc00 + (c & 0x3ff)); }
      else s += String.fromCharCode(c);
    }
    return s;
  });
  function range(value, length, otherwise) {
    if (value === undefined) return otherwise;
    value = value < 0 ? Math.trunc(value) + length : Math.trunc(value);
    return value < 0 ? 0 : value > length ? length : value;
  }
  // Espruino's arrays and typed arrays have no copyWithin, and their slice returns an Array.
  function copyWithin(target, start, end) {
    var n = this.length;
    var to = range(target, n, 0), from = range(start, n, 0), last = range(end, n, n);
    var count = Math.min(last - from, n - to), i;
    if (from < to) for (i = count - 1; i >= 0; i--) this[to + i] = this[from + i];
    else for (i = 0; i < count; i++) this[to + i] = this[from + i];
    return this;
  }
  function slice(start, end) {
    var n = this.length, from = range(start, n, 0), to = range(end, n, n);
    var out = new this.constructor(to > from ? to - from : 0);
    for (var i = 0; i < out.length; i++) out[i] = this[from + i];
    return out;
  }
  if (typeof [].copyWithin !== 'function') Array.prototype.copyWithin = copyWithin;
  var typed = [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array, Float64Array];
  var sizes = [1, 1, 1, 2, 2, 4, 4, 4, 8];
  for (var t = 0; t < typed.length; t++) {
    var Typed = typed[t], sample = new Typed(1);
    // Neither the constructors nor the instances have BYTES_PER_ELEMENT on Espruino.
    if (sample.BYTES_PER_ELEMENT === undefined) Typed.prototype.BYTES_PER_ELEMENT = sizes[t];
    if (Typed.BYTES_PER_ELEMENT === undefined) Typed.BYTES_PER_ELEMENT = sizes[t];
    if (typeof sample.copyWithin !== 'function') Typed.prototype.copyWithin = copyWithin;
    if (!ArrayBuffer.isView(sample.slice(0))) Typed.prototype.slice = slice;
  }
  // Keys compared with ===, in insertion order: the few maps the engine keeps are small.
  function SmallMap() { this.k = []; this.v = []; this.size = 0; }
  SmallMap.prototype.has = function (key) { return this.k.indexOf(key) >= 0; };
  SmallMap.prototype.get = function (key) { var i = this.k.indexOf(key); return i >= 0 ? this.v[i] : undefined; };
  SmallMap.prototype.set = function (key, value) {
    var i = this.k.indexOf(key);
    if (i >= 0) this.v[i] = value;
    else { this.k.push(key); this.v.push(value); this.size = this.k.length; }
    return this;
  };
  SmallMap.prototype['delete'] = function (key) {
    var i = this.k.indexOf(key);
    if (i < 0) return false;
    this.k.splice(i, 1); this.v.splice(i, 1); this.size = this.k.length;
    return true;
  };
  SmallMap.prototype.clear = function () { this.k = []; this.v = []; this.size = 0; };
  SmallMap.prototype.forEach = function (f) { for (var i = 0; i < this.k.length; i++) f(this.v[i], this.k[i], this); };
  function SmallSet() { this.m = new SmallMap(); this.size = 0; }
  SmallSet.prototype.has = function (key) { return this.m.has(key); };
  SmallSet.prototype.add = function (key) { this.m.set(key, key); this.size = this.m.size; return this; };
  SmallSet.prototype['delete'] = function (key) { var r = this.m['delete'](key); this.size = this.m.size; return r; };
  SmallSet.prototype.clear = function () { this.m.clear(); this.size = 0; };
  SmallSet.prototype.forEach = function (f) { var s = this; this.m.forEach(function (v) { f(v, v, s); }); };
  // A private field (#brand) lowers to a WeakMap: here one that keeps its value on the key itself,
  // in a property no enumeration shows, so that it holds nothing alive as a list of keys would.
  var weakCount = 0;
  function SmallWeakMap() { this.id = '\u0001weak' + (weakCount++); }
  SmallWeakMap.prototype.has = function (key) { return Object.prototype.hasOwnProperty.call(key, this.id); };
  SmallWeakMap.prototype.get = function (key) { return this.has(key) ? key[this.id] : undefined; };
  SmallWeakMap.prototype.set = function (key, value) {
    if (this.has(key)) key[this.id] = value;
    else Object.defineProperty(key, this.id, { value: value, writable: true, enumerable: false, configurable: true });
    return this;
  };
  SmallWeakMap.prototype['delete'] = function (key) { return this.has(key) && delete key[this.id]; };
  var global = globalThis;
  if (typeof WeakMap === 'undefined') global.WeakMap = SmallWeakMap;
  if (typeof Map === 'undefined') global.Map = SmallMap;
  if (typeof Set === 'undefined') global.Set = SmallSet;
})();
