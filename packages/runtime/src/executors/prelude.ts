/**
 * The sandbox-side prelude, shared by every executor (docs/contracts.md, section 1).
 *
 * PRELUDE_SOURCE is one JavaScript expression: a function `(host, configText) => api`.
 * The executor evaluates it inside the isolate, then calls it once per run with:
 *
 *   host.call(ns, tool, encodedArgs) -> Promise<string>   the bridge (rejects with an encoded `{code, message}`)
 *   host.log(level, text)                                  one console line
 *   host.sleep(ms) -> Promise<void>                         backs setTimeout/setInterval (optional)
 *   host.done(encodedOutcome)                              called exactly once when the program settles
 *
 * Faster alternative to host.call/host.sleep (used when present): `host.send(id, kind, a, b, c)`
 * starts a host operation and returns nothing; kind "call" is (ns, tool, encodedArgs), kind
 * "sleep" is (ms). The host later answers with `api.deliver(packet)`, where packet is the
 * string `"<id>:<1|0>:<text>"` (1 = resolve with text, 0 = reject with text).
 *
 * configText is JSON: `{ bindings, maxLogBytes, filename, lineOffset }`.
 * The returned api has `run(fn)`: it calls the compiled program function and reports the
 * outcome through host.done as the wire encoding of
 * `{ ok: true, value }` or `{ ok: false, error: { code, message, line?, column? } }`;
 * and `deliver(packet)` (see host.send).
 *
 * The prelude also installs: namespace objects (proxies whose unknown members reject with
 * UNKNOWN_TOOL), console capture (objects rendered as JSON), the wire codec, timers, a
 * `ToolCallError` class, and disables code generation from strings (eval, Function).
 * The host keeps the host object; user code never sees it.
 */
const PRELUDE_BODY = String.raw`(function (host, configText) {
  "use strict";
  var G = globalThis;
  var config = JSON.parse(configText);
  var hostSend = host.send, hostLog = host.log, hostDone = host.done;
  var pending = new Map(), nextOp = 1;
  function hostOp(kind, a, b, c) {
    var id = nextOp++;
    return new Promise(function (resolve, reject) {
      pending.set(id, [resolve, reject]);
      hostSend(id, kind, a, b, c);
    });
  }
  var hostCall = typeof hostSend === "function" ? function (ns, tool, args) { return hostOp("call", ns, tool, args); } : host.call;
  var hostSleep = typeof hostSend === "function" ? function (ms) { return hostOp("sleep", ms); } : host.sleep;
  function deliver(packet) {
    var a = packet.indexOf(":"), id = Number(packet.slice(0, a)), entry = pending.get(id);
    if (!entry) return;
    pending.delete(id);
    entry[packet.charCodeAt(a + 1) === 49 ? 0 : 1](packet.slice(a + 3));
  }
  var stringify = JSON.stringify, parse = JSON.parse, isArray = Array.isArray, keys = Object.keys;
  var defineProperty = Object.defineProperty, hasOwn = Object.prototype.hasOwnProperty;
  var _Map = Map, _Set = Set, _Date = Date, _Error = Error, _BigInt = BigInt, _Promise = Promise;
  var MAX_DEPTH = 512, OMIT = {};
  // Rarely needed parts are compiled on first use (with eval captured before it is disabled;
  // the program can never reach it), so a run does not pay to compile them.
  var compile = G.eval;
  function lazy(make) { var made; return function () { return made || (made = make()); }; }
  var FILENAME = config.filename || "program.js", LINE_OFFSET = config.lineOffset || 0;
  var OOM = '{"ok":false,"error":{"code":"MEMORY_LIMIT","message":"the program ran out of memory"}}';

  function setOwn(o, k, v) {
    if (k === "__proto__") defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
    else o[k] = v;
  }

  // ---- wire codec (same algorithm as src/codec/wire.ts) ----
  function enc(value, stack) {
    switch (typeof value) {
      case "string": case "boolean": return value;
      case "number":
        if (value === value && value !== Infinity && value !== -Infinity) return (value === 0 && 1 / value < 0) ? { $tp: "f", v: "-0" } : value;
        return { $tp: "f", v: String(value) };
      case "bigint": return { $tp: "n", v: value.toString() };
      case "undefined": return { $tp: "u" };
      case "function": case "symbol": return OMIT;
    }
    if (value === null) return null;
    var seen = stack.lastIndexOf(value);
    if (seen >= 0) return { $tp: "c", v: stack.length - seen };
    if (stack.length >= MAX_DEPTH) throw new RangeError("value is nested deeper than " + MAX_DEPTH + " levels");
    if (value instanceof _Date) { var t = value.getTime(); return { $tp: "d", v: t === t ? value.toISOString() : null }; }
    if (value instanceof _Error) {
      var e = { name: String(value.name), message: String(value.message) };
      if (typeof value.code === "string" || typeof value.code === "number") e.code = value.code;
      return { $tp: "e", v: e };
    }
    if (!isArray(value) && !(value instanceof _Map) && !(value instanceof _Set) && typeof value.toJSON === "function") {
      return enc(value.toJSON(), stack);
    }
    stack.push(value);
    try {
      var out, i, x;
      if (isArray(value)) {
        out = new Array(value.length);
        for (i = 0; i < value.length; i++) { x = enc(value[i], stack); out[i] = x === OMIT ? null : x; }
        return out;
      }
      if (value instanceof _Map) {
        out = [];
        value.forEach(function (v, k) { var ek = enc(k, stack), ev = enc(v, stack); out.push([ek === OMIT ? null : ek, ev === OMIT ? null : ev]); });
        return { $tp: "m", v: out };
      }
      if (value instanceof _Set) {
        out = [];
        value.forEach(function (v) { var ev = enc(v, stack); out.push(ev === OMIT ? null : ev); });
        return { $tp: "s", v: out };
      }
      out = {};
      var ks = keys(value);
      for (i = 0; i < ks.length; i++) { x = enc(value[ks[i]], stack); if (x !== OMIT) setOwn(out, ks[i], x); }
      return hasOwn.call(value, "$tp") ? { $tp: "o", v: out } : out;
    } finally { stack.pop(); }
  }
  function encode(value) { var x = enc(value, []); return stringify(x === OMIT ? { $tp: "u" } : x); }

  var decoder = lazy(function () { return compile(DECODER_SOURCE)(parse, isArray, keys, hasOwn, setOwn, _Map, _Set, _Date, _Error, _BigInt, MAX_DEPTH); });
  // Plain JSON (no tags) needs no decoder.
  function decode(text) { return text.indexOf('"$tp"') < 0 ? parse(text) : decoder()(text); }

  // ---- console capture: objects rendered as JSON ----
  var renderer = lazy(function () { return compile(RENDER_SOURCE)(stringify, isArray, keys, _Map, _Set, _Date, _Error, config); });
  function show(v, seen, depth) { return renderer().show(v, seen, depth); }
  function render(args) { return renderer().render(args); }
  function logger(level) { return function () { hostLog(level, render(arguments)); }; }
  var consoleObject = { log: logger("log"), info: logger("info"), warn: logger("warn"), error: logger("error"),
    debug: logger("log"), trace: logger("log"), dir: logger("log"), table: logger("log") };
  defineProperty(G, "console", { value: consoleObject, writable: true, configurable: true });

  // ---- positions in the model's code ----
  var POS = new RegExp(FILENAME.replace(/[.*+?^$()|[\]\\{}]/g, "\\$&") + ":(\\d+):(\\d+)");
  function where(stack) {
    var m = POS.exec(String(stack || ""));
    if (!m) return undefined;
    var line = Number(m[1]) - LINE_OFFSET;
    return line >= 1 ? { line: line, column: Number(m[2]) } : undefined;
  }

  // ---- tool bindings ----
  class ToolCallError extends _Error {
    constructor(code, message, namespace, tool) {
      super(message);
      this.name = "ToolCallError"; this.code = code; this.namespace = namespace; this.tool = tool;
    }
  }
  defineProperty(G, "ToolCallError", { value: ToolCallError, writable: true, configurable: true });
  function toolError(info, ns, tool, site) {
    info = info && typeof info === "object" ? info : { message: String(info) };
    var err = new ToolCallError(String(info.code || "TOOL_ERROR"), String(info.message || "tool call failed"), ns, tool);
    if (info.data !== undefined) err.data = info.data;
    if (site) { err.line = site.line; err.column = site.column; }
    return err;
  }
  function safeDecode(text) { try { return decode(String(text)); } catch (e) { return { code: "TOOL_ERROR", message: String(text) }; } }
  function invoke(ns, tool, input) {
    var site = where(new _Error().stack), encoded;
    try { encoded = encode(input); } catch (e) {
      return _Promise.reject(toolError({ code: "INVALID_ARGUMENTS", message: "arguments of " + ns + "." + tool + " cannot be sent: " + e.message }, ns, tool, site));
    }
    return hostCall(ns, tool, encoded).then(decode, function (err) { throw toolError(safeDecode(err), ns, tool, site); });
  }
  var PASS = { then: 1, toJSON: 1, constructor: 1, toString: 1, valueOf: 1, inspect: 1, asymmetricMatch: 1, $$typeof: 1, nodeType: 1 };
  function unknownTool(ns, tool, known) {
    // A namespace without tools (its server is unavailable) asks the host, which says why.
    if (known.length === 0) return function (input) { return invoke(ns, tool, input); };
    return function () {
      var site = where(new _Error().stack);
      var hint = known.length ? " Tools in " + ns + ": " + known.slice(0, 30).join(", ") + (known.length > 30 ? ", ..." : "") + "." : "";
      return _Promise.reject(toolError({ code: "UNKNOWN_TOOL", message: ns + "." + tool + " is not a tool." + hint }, ns, tool, site));
    };
  }
  var bindings = config.bindings || {};
  keys(bindings).forEach(function (ns) {
    var tools = bindings[ns], target = Object.create(null);
    tools.forEach(function (tool) {
      defineProperty(target, tool, { value: function (input) { return invoke(ns, tool, input); }, enumerable: true });
    });
    var proxy = new Proxy(target, {
      get: function (t, key) {
        if (typeof key === "symbol" || hasOwn.call(t, key)) return t[key];
        if (hasOwn.call(PASS, key)) return undefined;
        return unknownTool(ns, key, tools);
      },
      set: function () { return false; },
      defineProperty: function () { return false; },
      deleteProperty: function () { return false; },
    });
    defineProperty(G, ns, { value: proxy, writable: false, enumerable: false, configurable: false });
  });

  // ---- timers, backed by host.sleep ----
  var timers = lazy(function () { return compile(TIMERS_SOURCE)(hostSleep, _Map); });
  G.setTimeout = function (fn, ms) { return timers().add(fn, ms, Array.prototype.slice.call(arguments, 2), false); };
  G.setInterval = function (fn, ms) { return timers().add(fn, ms, Array.prototype.slice.call(arguments, 2), true); };
  G.clearTimeout = function (id) { timers().clear(id); };
  G.clearInterval = G.clearTimeout;
  if (typeof G.queueMicrotask !== "function") G.queueMicrotask = function (fn) { _Promise.resolve().then(fn); };

  // ---- no code generation from strings ----
  function noCodegen() { throw new EvalError("code generation from strings is disabled in the sandbox"); }
  [Function, (async function () {}).constructor, (function* () {}).constructor, (async function* () {}).constructor]
    .forEach(function (C) { defineProperty(C.prototype, "constructor", { value: noCodegen, writable: false, configurable: false }); });
  noCodegen.prototype = Function.prototype;
  defineProperty(G, "Function", { value: noCodegen, writable: false, configurable: false });
  defineProperty(G, "eval", { value: noCodegen, writable: false, configurable: false });

  // ---- outcome ----
  function describe(e) {
    if (e instanceof ToolCallError) {
      // The call's name leads the message once: a message that already names it keeps its own words.
      var name = e.namespace + "." + e.tool, msg = String(e.message);
      var te = { code: e.code, message: msg.indexOf(name) === 0 ? msg : name + ": " + msg };
      if (e.line) { te.line = e.line; te.column = e.column; }
      return te;
    }
    var out;
    if (e instanceof _Error) {
      var msg = String(e.message), code = "RUNTIME_ERROR";
      if (e.name === "InternalError" && msg === "out of memory") code = "MEMORY_LIMIT";
      else if (e.name === "InternalError" && msg === "stack overflow") code = "STACK_OVERFLOW";
      else if (e.name === "RangeError" && /call stack/i.test(msg)) code = "STACK_OVERFLOW";
      out = { code: code, message: String(e.name) + ": " + msg };
      var pos = where(e.stack);
      if (pos) { out.line = pos.line; out.column = pos.column; }
      return out;
    }
    return { code: "RUNTIME_ERROR", message: "Uncaught " + show(e, [], 0) };
  }
  function finish(ok, payload) {
    var text;
    try {
      text = ok ? '{"ok":true,"value":' + encode(payload) + "}" : encode({ ok: false, error: describe(payload) });
    } catch (e) {
      try {
        text = ok
          ? encode({ ok: false, error: { code: "RESULT_ENCODING", message: "the return value cannot be encoded: " + e.message } })
          : encode({ ok: false, error: { code: "RUNTIME_ERROR", message: "the program failed with an error that cannot be described" } });
      } catch (e2) { text = OOM; }
    }
    hostDone(text);
  }
  return {
    deliver: deliver,
    run: function (fn) {
      _Promise.resolve().then(function () { return fn(); })
        .then(function (v) { finish(true, v); }, function (e) { finish(false, e); })
        .then(undefined, function () { hostDone(OOM); });
    },
  };
})`;

const DECODER_SOURCE = String.raw`(function (parse, isArray, keys, hasOwn, setOwn, _Map, _Set, _Date, _Error, _BigInt, MAX_DEPTH) {
  function dec(x, stack) {
    if (x === null || typeof x !== "object") return x;
    if (stack.length >= MAX_DEPTH) throw new RangeError("value is nested deeper than " + MAX_DEPTH + " levels");
    var out, i;
    if (isArray(x)) { out = []; stack.push(out); for (i = 0; i < x.length; i++) out.push(dec(x[i], stack)); stack.pop(); return out; }
    var tag = hasOwn.call(x, "$tp") ? x.$tp : undefined, v = x.v;
    if (typeof tag === "string") {
      switch (tag) {
        case "u": return undefined;
        case "n": return _BigInt(String(v));
        case "f": return v === "-0" ? -0 : Number(v);
        case "d": return new _Date(typeof v === "string" ? v : NaN);
        case "c": { var target = stack[stack.length - Number(v)]; if (!(Number(v) >= 1) || target === undefined) throw new TypeError("bad cycle reference"); return target; }
        case "m": out = new _Map(); stack.push(out); for (i = 0; i < (isArray(v) ? v.length : 0); i++) out.set(dec(v[i][0], stack), dec(v[i][1], stack)); stack.pop(); return out;
        case "s": out = new _Set(); stack.push(out); for (i = 0; i < (isArray(v) ? v.length : 0); i++) out.add(dec(v[i], stack)); stack.pop(); return out;
        case "e": { var info = v || {}; var err = new _Error(String(info.message || "")); if (typeof info.name === "string") err.name = info.name; if (info.code !== undefined) err.code = info.code; return err; }
        case "o": return decPlain(v || {}, stack);
      }
    }
    return decPlain(x, stack);
  }
  function decPlain(x, stack) {
    var out = {}; stack.push(out);
    var ks = keys(x);
    for (var i = 0; i < ks.length; i++) setOwn(out, ks[i], dec(x[ks[i]], stack));
    stack.pop(); return out;
  }
  function decode(text) { return dec(parse(text), []); }

  return decode;
})`;

const RENDER_SOURCE = String.raw`(function (stringify, isArray, keys, _Map, _Set, _Date, _Error, config) {
  function show(v, seen, depth) {
    switch (typeof v) {
      case "string": return stringify(v);
      case "bigint": return v + "n";
      case "undefined": return "undefined";
      case "symbol": return String(v);
      case "function": return "[Function" + (v.name ? ": " + v.name : "") + "]";
      case "number": return (v === 0 && 1 / v < 0) ? "-0" : String(v);
      case "boolean": return String(v);
    }
    if (v === null) return "null";
    if (seen.indexOf(v) >= 0) return '"[Circular]"';
    if (v instanceof _Date) { var t = v.getTime(); return t === t ? stringify(v.toISOString()) : '"Invalid Date"'; }
    if (v instanceof _Error) return stringify(String(v.name) + ": " + String(v.message));
    if (depth > 8) return isArray(v) ? '"[Array]"' : '"[Object]"';
    seen.push(v);
    try {
      var parts = [], i;
      if (isArray(v)) { for (i = 0; i < v.length; i++) parts.push(show(v[i], seen, depth + 1)); return "[" + parts.join(",") + "]"; }
      if (v instanceof _Map) { v.forEach(function (val, k) { parts.push(show(k, seen, depth + 1) + " => " + show(val, seen, depth + 1)); }); return "Map(" + v.size + ") {" + parts.join(", ") + "}"; }
      if (v instanceof _Set) { v.forEach(function (val) { parts.push(show(val, seen, depth + 1)); }); return "Set(" + v.size + ") [" + parts.join(",") + "]"; }
      if (typeof v.toJSON === "function") return show(v.toJSON(), seen, depth + 1);
      var ks = keys(v);
      for (i = 0; i < ks.length; i++) parts.push(stringify(ks[i]) + ":" + show(v[ks[i]], seen, depth + 1));
      return "{" + parts.join(",") + "}";
    } finally { seen.pop(); }
  }
  function render(args) {
    var parts = [];
    for (var i = 0; i < args.length; i++) {
      var a = args[i];
      try { parts.push(typeof a === "string" ? a : show(a, [], 0)); } catch (e) { parts.push("[unprintable]"); }
    }
    var text = parts.join(" ");
    var max = config.maxLogBytes > 0 ? config.maxLogBytes : 65536;
    return text.length > max ? text.slice(0, max) : text;
  }
  return { show: show, render: render };
})`;

const TIMERS_SOURCE = String.raw`(function (hostSleep, _Map) {
  var timers = new _Map(), nextTimer = 1, MAX_TIMERS = 10000;
  function addTimer(fn, ms, args, repeat) {
    if (typeof fn !== "function") throw new TypeError("timer callback must be a function");
    if (typeof hostSleep !== "function") throw new TypeError("timers are not available in this sandbox");
    if (timers.size >= MAX_TIMERS) throw new RangeError("too many pending timers (" + MAX_TIMERS + ")");
    var id = nextTimer++, delay = Math.max(repeat ? 1 : 0, Number(ms) || 0);
    timers.set(id, true);
    (function tick() {
      hostSleep(delay).then(function () {
        if (!timers.has(id)) return;
        if (!repeat) timers.delete(id);
        fn.apply(undefined, args);
        if (repeat && timers.has(id)) tick();
      });
    })();
    return id;
  }
  function clearTimer(id) { timers.delete(id); }
  return { add: addTimer, clear: clearTimer };
})`;

export const PRELUDE_SOURCE = PRELUDE_BODY.replace(
  '"use strict";',
  `"use strict";\n  var DECODER_SOURCE = ${JSON.stringify(DECODER_SOURCE)}, RENDER_SOURCE = ${JSON.stringify(RENDER_SOURCE)}, TIMERS_SOURCE = ${JSON.stringify(TIMERS_SOURCE)};`,
);
