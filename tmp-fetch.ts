import { startPortal } from "./bench/lib/server";
import { signIn } from "./bench/lib/session";
import { personas } from "./bench/generate/personas";
import fs from "node:fs";
async function main() {
  const s = await startPortal(3150, { databaseUrl: "postgres://postgres@127.0.0.1:5432/pim_bench_l" });
  try {
    const c = await signIn(s.url, personas.ga);
    for (const p of (process.argv[2] ?? "/assignments").split(",")) {
      const html = await (await fetch(s.url + p, { headers: { cookie: c } })).text();
      const f = "/tmp/lead/page" + p.replace(/[^a-z]/g, "_") + ".html";
      fs.writeFileSync(f, html);
      console.log(p, html.length, f);
    }
  } finally { await s.stop(); }
}
main();
