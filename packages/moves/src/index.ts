// Public surface of @toolpacks/moves: the money-effect language of write tools, shared by
// pack-kit (declaring and checking) and the runtime (budgets). Runs anywhere; depends on zod only.
export { countMoves, type MovesCount } from "./count.js";
export {
  ArgPathSchema,
  describeMoves,
  FactorSchema,
  MOVED_META,
  MOVES_LIMITS,
  MOVES_META,
  type Moves,
  MovesNoneSchema,
  MovesSchema,
  MovesSumSchema,
  type MovesTerm,
  MovesTermSchema,
  type ParsedMoves,
  parseMoves,
} from "./schema.js";
