import autocannon from "autocannon";
const auth = { authorization: "Bearer pat_bench-app-token-RoleManagement-Read-Directory-0001" };
const qs = ["principalId=b0000000-0000-4000-8000-000000000001&roleDefinitionId=62e90394-69f5-4237-9190-012177145e10",
  "principalId=b0000000-0000-4000-8000-000000000004&roleDefinitionId=fe930be7-5e62-47db-91af-98c3a49a38b1",
  "principalId=b1000000-0000-4000-8000-000000000001&roleDefinitionId=fe930be7-5e62-47db-91af-98c3a49a38b1"];
const targets = JSON.parse(process.argv[2]); // [[name, url, prefix]]
const secs = Number(process.argv[3] ?? 5), rounds = Number(process.argv[4] ?? 3);
const res = {};
for (const [n, url, prefix] of targets) await autocannon({ url, connections: 10, duration: 2, headers: auth, requests: qs.map((q) => ({ method: "GET", path: prefix + q })) });
for (let r = 0; r < rounds; r++) for (const [n, url, prefix] of targets) {
  const x = await autocannon({ url, connections: 10, duration: secs, headers: auth, requests: qs.map((q) => ({ method: "GET", path: prefix + q })) });
  (res[n] ??= []).push(Math.round(x.requests.average));
}
for (const [n, v] of Object.entries(res)) console.log(n.padEnd(10), v.join(" "));
