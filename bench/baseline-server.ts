/**
 * The bare baseline for the access check: a minimal node:http server answering "does principalId hold
 * roleDefinitionId at / now (directly or through a group)?" with ONE prepared query through the same driver
 * (postgres.js). No auth, no validation: the ceiling the decision server and the portal are compared with.
 *   DATABASE_URL=… PORT=3142 npx tsx bench/baseline-server.ts
 */
import http from "node:http";
import postgres from "postgres";

const sql = postgres(String(process.env.DATABASE_URL), { max: 10, prepare: true, onnotice: () => {} });
const port = Number(process.env.PORT ?? 3142);

http
  .createServer(async (req, res) => {
    const u = new URL(req.url ?? "/", "http://x");
    if (u.pathname === "/health") return res.end("ok");
    const principal = u.searchParams.get("principalId") ?? "";
    const role = u.searchParams.get("roleDefinitionId") ?? "";
    try {
      const rows = await sql`select id, end_date_time from role_assignment_schedules
        where principal_id in (select ${principal}::uuid union all select group_id from group_members where user_id = ${principal}::uuid)
          and role_definition_id = ${role}::uuid and directory_scope_id = '/' and status <> 'Canceled'
          and start_date_time <= now() and (end_date_time is null or end_date_time > now())`;
      const body = JSON.stringify({ allowed: rows.length > 0, grantedBy: rows.map((r) => ({ scheduleId: r.id })) });
      res.writeHead(200, { "content-type": "application/json" });
      res.end(body);
    } catch {
      res.writeHead(400);
      res.end();
    }
  })
  .listen(port, "127.0.0.1");
