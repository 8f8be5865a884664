/**
 * @module @memory-weaver/mcp — `memory-weaver-mcp`: Memory Weaver's MCP server over stdio, for
 * agents that start their MCP servers as local processes. It is a proxy, not a second server:
 * every JSON-RPC message goes to the API's `/mcp` (Streamable HTTP, with the official SDK's client
 * transport) and every answer and notification comes back, so the tools, resources and
 * `notifications/resources/updated` are exactly the HTTP server's, and the key never leaves this
 * process but for the API.
 *
 * Settings come from the environment: MEMORY_WEAVER_URL (e.g. http://127.0.0.1:5000),
 * MEMORY_WEAVER_API_KEY (the AI's key, or an administrator's ID token with MEMORY_WEAVER_AI naming
 * the AI). Nothing but MCP goes to stdout; diagnostics go to stderr, without the key.
 */
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { isJSONRPCRequest, isJSONRPCResultResponse, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { readSettings } from './settings.js';

const settings = readSettings(process.env);
if (typeof settings === 'string') {
  process.stderr.write(`memory-weaver-mcp: ${settings}\n`);
  process.exit(2);
}

const upstream = new StreamableHTTPClientTransport(settings.endpoint, {
  requestInit: { headers: settings.headers },
});
const local = new StdioServerTransport();
/** The id of the client's initialize request: its answer names the protocol version the upstream must send. */
let initializeId: string | number | undefined;

local.onmessage = (message: JSONRPCMessage) => {
  if (isJSONRPCRequest(message) && message.method === 'initialize') initializeId = message.id;
  upstream.send(message).catch((err: unknown) => {
    const text = err instanceof Error ? err.message : String(err);
    process.stderr.write(`memory-weaver-mcp: ${settings.endpoint.href}: ${text}\n`);
    // A request must get an answer: the API's own error (its JSON envelope) is in the text.
    if (isJSONRPCRequest(message)) {
      void local.send({
        jsonrpc: '2.0',
        id: message.id,
        error: { code: -32603, message: `Memory Weaver at ${settings.endpoint.origin} answered: ${text}` },
      });
    }
  });
};
upstream.onmessage = (message: JSONRPCMessage) => {
  if (initializeId !== undefined && isJSONRPCResultResponse(message) && message.id === initializeId) {
    const version = (message.result as { protocolVersion?: unknown }).protocolVersion;
    if (typeof version === 'string') upstream.setProtocolVersion(version);
  }
  void local.send(message);
};
upstream.onerror = (err: Error) => {
  process.stderr.write(`memory-weaver-mcp: ${err.message}\n`);
};
local.onclose = () => {
  // Ends the session on the server (DELETE /mcp), then the process.
  void upstream
    .terminateSession()
    .catch(() => undefined)
    .finally(() => {
      void upstream.close().finally(() => process.exit(0));
    });
};

await upstream.start();
await local.start();
