// A file of its own, not inline, so that the Content-Security-Policy can forbid inline scripts.
const socket = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/graphql";
const fetcher = GraphiQL.createFetcher({
  url: "/graphql",
  wsClient: graphqlWs.createClient({ url: socket, lazy: true }),
});
ReactDOM.render(React.createElement(GraphiQL, { fetcher: fetcher }), document.getElementById("graphiql"));
