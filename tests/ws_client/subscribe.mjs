// One subscription through the reference graphql-ws client, as a browser or a Node app would
// make it: the token goes in connection_init's payload. Prints each thing that happens as one
// JSON line: {"connected"}, {"next"}, {"error"}, {"complete"}, {"closed", "reason"}.
import { createClient } from "graphql-ws";
import WebSocket from "ws";

const [url, authorization, query, variables] = process.argv.slice(2);
const say = (thing) => process.stdout.write(JSON.stringify(thing) + "\n");

const client = createClient({
  url,
  webSocketImpl: WebSocket,
  lazy: false,
  retryAttempts: 0,
  connectionParams: authorization ? { authorization } : undefined,
  on: {
    connected: () => say({ connected: true }),
    closed: (event) => {
      say({ closed: event.code, reason: event.reason });
      process.exit(0);
    },
  },
});

client.subscribe(
  { query, variables: JSON.parse(variables || "{}") },
  {
    next: (result) => say({ next: result }),
    error: (error) => say({ error: Array.isArray(error) ? error : String(error?.reason ?? error) }),
    complete: () => say({ complete: true }),
  },
);
