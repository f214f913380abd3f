/**
 * Type-checking with the TypeScript compiler API, imported lazily (typescript is an optional
 * peer). Library files are parsed once per process and shared by every check.
 */
import type * as TS from "typescript";

export interface TypeDiagnostic {
  file: string;
  line: number;
  column: number;
  message: string;
  code: number;
}

let tsPromise: Promise<typeof TS> | undefined;
const libCache = new Map<string, TS.SourceFile | undefined>();

export async function loadTypeScript(): Promise<typeof TS> {
  tsPromise ??= import("typescript").then((m) => ((m as { default?: typeof TS }).default ?? m) as typeof TS);
  try {
    return await tsPromise;
  } catch (err) {
    tsPromise = undefined;
    throw new Error(
      `type-checking needs the "typescript" package (an optional peer of @toolpacks/runtime): ${String(err)}`,
    );
  }
}

const OPTIONS = {
  target: 10 /* ES2023 */,
  lib: ["lib.es2023.d.ts"],
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  types: [],
  noImplicitAny: false,
  allowJs: true,
  checkJs: false,
} as const;

/** Bounds on one type-check. */
export interface TypecheckBounds {
  /** `performance.now()` past which the check stops with TypecheckCancelled (reason "deadline"). */
  deadline?: number;
  /** Stops the check with TypecheckCancelled (reason "aborted"). */
  signal?: AbortSignal;
}

/** A type-check stopped by its deadline or its signal before it finished. */
export class TypecheckCancelled extends Error {
  override name = "TypecheckCancelled";
  constructor(readonly reason: "deadline" | "aborted") {
    super(
      reason === "deadline" ? "type-checking ran past the run's time limit" : "type-checking was cancelled",
    );
  }
}

/**
 * Type-checks in-memory files; returns every diagnostic of the given files (libs excluded).
 * The compiler polls `bounds` as it checks (TypeScript's cancellation token) and stops with
 * TypecheckCancelled once the deadline passes or the signal aborts.
 */
export async function typecheckFiles(
  files: Record<string, string>,
  bounds: TypecheckBounds = {},
): Promise<TypeDiagnostic[]> {
  const ts = await loadTypeScript();
  const cancelledBy = (): TypecheckCancelled["reason"] | undefined =>
    bounds.signal?.aborted
      ? "aborted"
      : bounds.deadline !== undefined && performance.now() > bounds.deadline
        ? "deadline"
        : undefined;
  const token: TS.CancellationToken = {
    isCancellationRequested: () => cancelledBy() !== undefined,
    throwIfCancellationRequested: () => {
      const reason = cancelledBy();
      if (reason) throw new TypecheckCancelled(reason);
    },
  };
  token.throwIfCancellationRequested();
  const options: TS.CompilerOptions = {
    ...OPTIONS,
    target: ts.ScriptTarget.ES2023,
    lib: [...OPTIONS.lib],
    types: [],
  };
  const libPath = ts.getDefaultLibFilePath(options);
  const libDir = libPath.slice(0, Math.max(libPath.lastIndexOf("/"), libPath.lastIndexOf("\\")));
  const host: TS.CompilerHost = {
    getSourceFile(fileName, languageVersion) {
      if (Object.hasOwn(files, fileName)) {
        return ts.createSourceFile(fileName, files[fileName] as string, languageVersion, true);
      }
      if (!libCache.has(fileName)) {
        const text = ts.sys.readFile(fileName);
        libCache.set(
          fileName,
          text === undefined ? undefined : ts.createSourceFile(fileName, text, languageVersion, true),
        );
      }
      return libCache.get(fileName);
    },
    getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
    getDefaultLibLocation: () => libDir,
    writeFile: () => {},
    getCurrentDirectory: () => "/",
    getCanonicalFileName: (f) => f,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => "\n",
    fileExists: (f) => Object.hasOwn(files, f) || ts.sys.fileExists(f),
    readFile: (f) => (Object.hasOwn(files, f) ? files[f] : ts.sys.readFile(f)),
  };
  const program = ts.createProgram({ rootNames: Object.keys(files), options, host });
  const out: TypeDiagnostic[] = [];
  for (const d of ts.getPreEmitDiagnostics(program, undefined, token)) {
    if (d.file && !Object.hasOwn(files, d.file.fileName)) continue;
    const pos = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
    out.push({
      file: d.file?.fileName ?? "",
      line: pos ? pos.line + 1 : 0,
      column: pos ? pos.character + 1 : 0,
      message: ts.flattenDiagnosticMessageText(d.messageText, "\n"),
      code: d.code,
    });
  }
  return out;
}
