import { describe, expect, it } from "vitest";
import { createQuickJSExecutor } from "../src/executors/quickjs/executor.js";
import { runExecutorConformance, runHostileSuite } from "../src/testing.js";

const executor = createQuickJSExecutor();
runExecutorConformance(() => executor, { describe, it, expect });
runHostileSuite(() => executor, { describe, it, expect });
