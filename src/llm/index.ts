/**
 * Reassembly of known streaming protocols into the message they carry: LLM protocols (OpenAI chat
 * and Responses, Anthropic, Gemini, Vercel AI SDK, Ollama), agent protocols (AG-UI, LangGraph), MCP's
 * JSON-RPC, and GraphQL / tRPC subscriptions. Pure: records (and the connection's request) in, message out.
 */
export { classifyEvent, DETECT_JSON_EVENTS, DETECT_MAX_EVENTS, detectShape } from './detect';
export { createReassembler, reassemble } from './reassembler';
export { pairRpc, type RpcExchange, type RpcSource } from './rpc';
export { describeRpc, isRpcFailure } from './shapes/mcp';
export type {
  LlmChoice,
  LlmMessage,
  LlmShape,
  LlmToolCall,
  NodeUpdate,
  OperationResult,
  Reassembler,
  ReassemblerOptions,
  RpcMessage,
  StreamContext,
} from './types';
