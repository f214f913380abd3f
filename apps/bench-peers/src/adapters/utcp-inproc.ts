/**
 * A UTCP communication protocol whose tools are functions in this process: the SDK's own
 * extension point (a `CommunicationProtocol` plus a call-template serializer), so the UTCP client
 * routes `t.echo` to the bench's host tools exactly as it would route to HTTP or MCP.
 */
import {
  type CallTemplate,
  CallTemplateSerializer,
  CommunicationProtocol,
  type IUtcpClient,
  type RegisterManualResult,
  Serializer,
} from "@utcp/sdk";

export const INPROC_TYPE = "toolpacks_bench_inproc";

/** One manual's tools: name, description, JSON Schemas, and the host function behind each. */
export interface InprocTool {
  name: string;
  description: string;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  call?: (input: unknown) => Promise<unknown>;
}

class InprocTemplateSerializer extends Serializer<CallTemplate> {
  toDict(obj: CallTemplate): Record<string, unknown> {
    return { ...obj };
  }
  validateDict(obj: Record<string, unknown>): CallTemplate {
    if (obj.call_template_type !== INPROC_TYPE) throw new Error(`not a ${INPROC_TYPE} call template`);
    return obj as unknown as CallTemplate;
  }
}

class InprocProtocol extends CommunicationProtocol {
  /** Client -> manual name -> its tools: each client reaches only the host functions bound to it. */
  private readonly byClient = new WeakMap<IUtcpClient, Map<string, InprocTool[]>>();

  /** Binds a manual's tools to a client; call before `client.registerManual`. */
  bind(client: IUtcpClient, manual: string, tools: InprocTool[]): void {
    let manuals = this.byClient.get(client);
    if (!manuals) {
      manuals = new Map();
      this.byClient.set(client, manuals);
    }
    manuals.set(manual, tools);
  }

  async registerManual(caller: IUtcpClient, template: CallTemplate): Promise<RegisterManualResult> {
    const tools = this.byClient.get(caller)?.get(template.name ?? "") ?? [];
    return {
      manualCallTemplate: template,
      manual: {
        utcp_version: "1.0.0",
        manual_version: "1.0.0",
        tools: tools.map((t) => ({
          name: t.name,
          description: t.description,
          inputs: t.inputs,
          outputs: t.outputs,
          tags: [],
          tool_call_template: { name: template.name, call_template_type: INPROC_TYPE },
        })),
      } as RegisterManualResult["manual"],
      success: true,
      errors: [],
    };
  }
  async deregisterManual(): Promise<void> {}
  async callTool(caller: IUtcpClient, toolName: string, toolArgs: Record<string, unknown>): Promise<unknown> {
    const [manual, ...rest] = toolName.split(".");
    const name = rest.join(".");
    const tool = this.byClient
      .get(caller)
      ?.get(manual ?? "")
      ?.find((t) => t.name === name);
    if (!tool?.call) throw new Error(`${toolName} is not a tool`);
    return tool.call(toolArgs);
  }
  // biome-ignore lint/correctness/useYield: streaming is not offered by in-process tools
  async *callToolStreaming(): AsyncGenerator<unknown, void, unknown> {
    throw new Error("in-process tools do not stream");
  }
  override async close(): Promise<void> {}
}

let protocol: InprocProtocol | undefined;

/** Registers the protocol with the UTCP SDK once per process; returns it. */
export function inprocProtocol(): InprocProtocol {
  if (!protocol) {
    protocol = new InprocProtocol();
    CallTemplateSerializer.registerCallTemplate(INPROC_TYPE, new InprocTemplateSerializer(), true);
    CommunicationProtocol.communicationProtocols[INPROC_TYPE] = protocol;
  }
  return protocol;
}
