import { replayClassic } from "./economics/classic-replay.js";
import { TASKS } from "./economics/tasks/index.js";
import { openPackSession } from "./packs/session.js";

for (const task of TASKS) {
  const s = await openPackSession(task.packs, { scale: 10_000, seed: 1 });
  try {
    const c = await replayClassic(task, s);
    console.log(task.id, c.roundTrips, c.inputTokens, c.outputTokens, JSON.stringify(c.answer).slice(0, 300));
  } catch (e) {
    console.log(task.id, "FAILED", String(e).slice(0, 400));
  }
  await s.close();
}
