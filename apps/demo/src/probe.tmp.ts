import { runProgram } from "./codemode/run-program.js";
import { openCodeModeSession } from "./codemode/session.js";
import { orderToCash } from "./economics/tasks/order-to-cash.js";

for (const seed of [2, 3, 4, 5, 6, 7]) {
  const s = await openCodeModeSession(["crm", "erp", "warehouse", "billing"], { scale: 10_000, seed });
  const r = await runProgram(s, orderToCash.program);
  const v = r.value as any;
  console.log(
    seed,
    r.ok,
    r.error?.message,
    v?.orders_created?.length,
    v?.reserved?.length,
    v?.backordered?.length,
    v?.held_for_overdue?.length,
    v?.invoiced?.length,
  );
  await s.close();
}
