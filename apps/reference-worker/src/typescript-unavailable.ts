/**
 * Stands in for the `typescript` package in the deployed bundle (see `alias` in wrangler.jsonc):
 * the runtime imports it lazily only to type-check programs on request, and the compiler is
 * two thirds of the bundle. A request with `typecheck: true` fails with this message instead.
 */
const message =
  "type-checking is not available in this Worker: the TypeScript compiler is left out of the bundle to keep it small; run the program without typecheck";

const unavailable: unknown = new Proxy(
  {},
  {
    get(_target, key) {
      if (key === "then") return undefined;
      throw new Error(message);
    },
  },
);

export default unavailable;
