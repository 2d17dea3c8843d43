// A minimal server for the official Neo4j GraphQL Library (@neo4j/graphql on graphql-yoga) over
// Peermap's graph, for the benchmarks only: the same Neo4j, the same data, the shared queries.
// It records the Cypher the library runs (GET /recorded), so the suite can PROFILE it and count
// database hits, which do not depend on machine noise. Usage: node server.mjs PORT (NEO4J_URI,
// NEO4J_USER, NEO4J_PASSWORD from the environment).
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { Neo4jGraphQL } from "@neo4j/graphql";
import { createYoga } from "graphql-yoga";
import neo4j from "neo4j-driver";

const here = fileURLToPath(new URL(".", import.meta.url));
// The package exports only its index; the executor is loaded by path to record what it runs.
const { Executor } = createRequire(import.meta.url)(`${here}node_modules/@neo4j/graphql/dist/classes/Executor.js`);
const recorded = [];
const transactionRun = Executor.prototype.transactionRun;
Executor.prototype.transactionRun = function (query, parameters, transaction) {
  recorded.push({ query, parameters });
  if (recorded.length > 50) recorded.shift();
  return transactionRun.call(this, query, parameters, transaction);
};

function plain(value) {
  if (neo4j.isInt(value)) return value.toNumber();
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === "object" && value.constructor === Object) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, plain(inner)]));
  }
  if (value && typeof value.toString === "function" && typeof value !== "string" && typeof value !== "number"
      && typeof value !== "boolean") return value.toString();  // dates, as ISO text
  return value;
}

const driver = neo4j.driver(process.env.NEO4J_URI, neo4j.auth.basic(process.env.NEO4J_USER || "neo4j",
                                                                     process.env.NEO4J_PASSWORD));
const typeDefs = readFileSync(`${here}type-defs.graphql`, "utf8");
const schema = await new Neo4jGraphQL({ typeDefs, driver }).getSchema();
const yoga = createYoga({ schema, graphqlEndpoint: "/graphql", logging: false, maskedErrors: false });

createServer((request, response) => {
  if (request.url === "/recorded") {
    response.setHeader("content-type", "application/json");
    response.end(JSON.stringify(recorded.splice(0).map(({ query, parameters }) => ({ query, parameters: plain(parameters) }))));
    return;
  }
  yoga(request, response);
}).listen(Number(process.argv[2] || 4000), "127.0.0.1", () => console.log("ready"));
