// A file of its own, not inline, so that the Content-Security-Policy can forbid inline scripts.
const socket = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/graphql";
const fetcher = GraphiQL.createFetcher({
  url: "/graphql",
  wsClient: graphqlWs.createClient({ url: socket, lazy: true }),
});
ReactDOM.render(React.createElement(GraphiQL, { fetcher: fetcher }), document.getElementById("graphiql"));

// GraphiQL leaves its editors' text areas without names and some scroll areas out of the tab
// order: name each (a screen reader says what it is typing into) and let the keyboard reach
// every scrolling area, whenever GraphiQL draws them.
function nameTheEditors() {
  document.querySelectorAll(".graphiql-query-editor .CodeMirror textarea").forEach(function (box) {
    box.setAttribute("aria-label", "GraphQL query");
  });
  document.querySelectorAll(".graphiql-editor-tool .graphiql-editor").forEach(function (editor, i) {
    var box = editor.querySelector(".CodeMirror textarea");
    if (box) box.setAttribute("aria-label", i === 0 ? "Variables (JSON)" : "Headers (JSON)");
  });
  document.querySelectorAll(".graphiql-response .CodeMirror textarea").forEach(function (box) {
    box.setAttribute("aria-label", "Response");
  });
  document.querySelectorAll(".CodeMirror-scroll").forEach(function (area) {
    area.setAttribute("tabindex", "0");
  });
}
new MutationObserver(nameTheEditors).observe(document.getElementById("graphiql"), { childList: true, subtree: true });
nameTheEditors();
