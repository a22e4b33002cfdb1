/**
 * Signed webhooks out, end to end against a real HTTP receiver on 127.0.0.1 (an ephemeral port): events are
 * queued in the change's transaction, the receiver is down for a while (connection refused), the worker
 * retries with backoff, and once the receiver is back it gets every event exactly once, each signature
 * verified by the `standardwebhooks` reference library. Then: auto-disable after repeated failures (admins
 * told, nothing lost), enable, redeliver.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { notifications, webhookAttempts, webhookDeliveries, webhookEndpoints } from "@/db/schema";
import { encryptSecret, decryptSecret } from "@/lib/auth/secret-box";
import { deliverWebhooks, signWebhook } from "@/lib/notify/webhooks";
import { alertAdminsOfBreak } from "@/lib/pim/audit-chain/duties";
import { fanOutEvents } from "@/lib/pim/notifications/fan-out";
import { APPLICATION_ADMINISTRATOR, USER_ADMINISTRATOR } from "@/lib/pim/directory/builtin-roles";
import { activateRole } from "@/lib/pim/use-cases/activate-role";
import { createWebhookEndpoint } from "@/lib/pim/use-cases/create-webhook-endpoint";
import { deactivateRole } from "@/lib/pim/use-cases/deactivate-role";
import { decideRequest } from "@/lib/pim/use-cases/decide-request";
import { refreshAlerts } from "@/lib/pim/use-cases/alerts";
import { manageGroup } from "@/lib/pim/use-cases/manage-group";
import { redeliverWebhook, setWebhookEndpointEnabled } from "@/lib/pim/use-cases/manage-webhook-endpoint";
import { minutes, hours, usingPostgres } from "@/test/db";
import { pimWorld, type PimWorld } from "@/test/fixtures/pim";

const KEY = "test-auth-secret-for-webhook-secrets-0123456789";
const cipher = { encrypt: (s: string) => encryptSecret(s, KEY) };
const decrypt = (box: string) => decryptSecret(box, KEY);

type Received = { id: string; path: string; body: string; headers: Record<string, string> };

/** A receiver that can be taken down (its port refuses connections) and brought back on the same port. */
class Receiver {
  received: Received[] = [];
  failPaths = new Set<string>();
  private server: http.Server | null = null;
  port = 0;
  async start() {
    this.server = http.createServer((req, res) => {
      let body = "";
      req.setEncoding("utf8");
      req.on("data", (c: string) => (body += c));
      req.on("end", () => {
        const path = req.url ?? "/";
        if (this.failPaths.has(path)) {
          res.writeHead(500).end("nope");
          return;
        }
        const headers = Object.fromEntries(
          Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(",") : (v ?? "")]),
        );
        this.received.push({
          id: headers["webhook-id"] ?? "",
          path,
          body,
          headers,
        });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((ok) => this.server!.listen(this.port, "127.0.0.1", ok));
    this.port = (this.server.address() as AddressInfo).port;
  }
  async stop() {
    const s = this.server;
    this.server = null;
    if (s) await new Promise<void>((ok) => s.close(() => ok()));
  }
  url(path: string) {
    return `http://127.0.0.1:${this.port}${path}`;
  }
}

let w: PimWorld;
const rx = new Receiver();
let endpointA: { id: string; secret: string };

beforeAll(async () => {
  w = await pimWorld();
  await rx.start();
});
afterAll(async () => {
  await rx.stop();
  await w.h.drop();
});

/** One worker pass at the world's clock: fan out (notices + deliveries), then send what is due. */
async function pass(opts: { disableAfter?: number } = {}) {
  const now = w.clock.now();
  await fanOutEvents(w.h.db, now, { baseUrl: "https://pim.test" });
  return deliverWebhooks(w.h.db, now, { decrypt, timeoutMs: 5_000, ...opts });
}

const deliveriesOf = (endpointId: string) =>
  w.h.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpointId));

describe("webhooks: down receiver, retries, exactly once, verified signatures", () => {
  it("a receiver that is down for a while gets every event exactly once after it returns", async () => {
    endpointA = await createWebhookEndpoint(
      w.ctx,
      w.alice.actor(),
      {
        url: rx.url("/hooks/pim"),
        eventTypes: ["role.activated", "role.deactivated", "request.pending", "request.approved"],
      },
      cipher,
    );
    expect(endpointA.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    const [stored] = await w.h.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpointA.id));
    expect(stored!.secretEncrypted).not.toContain(endpointA.secret.slice(6)); // encrypted at rest

    await rx.stop(); // the receiver goes down: its port refuses connections

    // events: an activation, its deactivation, and an approval flow (pending, approved, activated)
    const sophia = await w.d.user("Sophia Davis");
    await w.d.eligible(sophia, USER_ADMINISTRATOR, { start: w.since });
    await activateRole(w.ctx, sophia.actor(), {
      roleDefinitionId: USER_ADMINISTRATOR,
      durationMinutes: 60,
      justification: "Add a user",
    });
    w.clock.advance(minutes(10));
    await deactivateRole(w.ctx, sophia.actor(), { roleDefinitionId: USER_ADMINISTRATOR });
    await w.d.settings(APPLICATION_ADMINISTRATOR, {
      approvalRequired: true,
      approvalStages: [{ mode: "anyOne", approvers: [{ type: "User", id: w.alice.id }] }],
    });
    await w.d.eligible(sophia, APPLICATION_ADMINISTRATOR, { start: w.since });
    const req = await activateRole(w.ctx, sophia.actor(), {
      roleDefinitionId: APPLICATION_ADMINISTRATOR,
      durationMinutes: 60,
      justification: "Register the app",
    });
    await decideRequest(w.ctx, w.alice.actor(), { requestId: req.requestId, decision: "Approve", justification: "OK" });

    // the worker tries while the receiver is down: every attempt fails (no answer), nothing is delivered
    let failedAttempts = 0;
    for (let i = 0; i < 3; i++) {
      const r = await pass(); // 3 passes × 5 deliveries: under the auto-disable limit of 20 failures in a row
      failedAttempts += r.retried;
      expect(r.delivered).toBe(0);
      w.clock.advance(minutes(5));
    }
    expect(failedAttempts).toBeGreaterThanOrEqual(5);
    const queued = await deliveriesOf(endpointA.id);
    expect(queued.map((d) => d.eventType).sort()).toEqual(
      ["request.approved", "request.pending", "role.activated", "role.activated", "role.deactivated"].sort(),
    );
    expect(queued.every((d) => d.status === "pending" && d.attempts >= 1)).toBe(true);
    const attempts = await w.h.db.select().from(webhookAttempts);
    expect(attempts.length).toBe(failedAttempts);
    expect(attempts.every((a) => a.statusCode === null && a.error)).toBe(true);

    // back up (same port); passes until nothing is due (the backoff is at most an hour)
    await rx.start();
    for (let i = 0; i < 3; i++) {
      w.clock.advance(hours(1));
      await pass();
    }
    const ids = rx.received.map((r) => r.id);
    expect(ids).toHaveLength(5);
    expect(new Set(ids).size).toBe(5); // each event once
    expect((await deliveriesOf(endpointA.id)).every((d) => d.status === "delivered" && d.lastStatusCode === 204)).toBe(
      true,
    );

    // every signature verifies with the Standard Webhooks reference verifier, and the payload is the event
    const verifier = new Webhook(endpointA.secret);
    for (const r of rx.received) {
      const payload = verifier.verify(r.body, r.headers) as {
        type: string;
        timestamp: string;
        data: Record<string, unknown>;
      };
      expect(payload.data.id).toBe(r.id);
      expect(r.headers["content-type"]).toBe("application/json");
    }
    const activated = rx.received
      .map(
        (r) =>
          JSON.parse(r.body) as {
            type: string;
            data: { principal: { displayName: string }; role: { displayName: string } };
          },
      )
      .filter((p) => p.type === "role.activated");
    expect(activated.map((p) => p.data.role.displayName).sort()).toEqual([
      "Application Administrator",
      "User Administrator",
    ]);
    expect(activated.every((p) => p.data.principal.displayName === "Sophia Davis")).toBe(true);
    // a wrong secret or a changed body does not verify (the check above can fail)
    const one = rx.received[0]!;
    expect(() =>
      new Webhook(`whsec_${Buffer.from("not the secret").toString("base64")}`).verify(one.body, one.headers),
    ).toThrow();
    expect(() => verifier.verify(one.body.replace("}", ',"x":1}'), one.headers)).toThrow();

    // more passes send nothing again, also two workers at once
    w.clock.advance(hours(2));
    const again = await Promise.all([pass(), pass()]);
    expect(again.reduce((n, r) => n + r.claimed, 0)).toBe(0);
    expect(rx.received).toHaveLength(5);
  });

  it("signs exactly as the Standard Webhooks reference library does (id.timestamp.body, base64 key after whsec_)", () => {
    const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const at = new Date(1614265330_000);
    const body = '{"test": 2432232314}';
    const reference = new Webhook(secret).sign("msg_p5jXN8AQM9LWM0D4loKWxJek", at, body);
    expect(signWebhook(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body)).toBe(reference);
    expect(signWebhook(secret, "msg_other", 1614265330, body)).not.toBe(reference);
  });

  it("redeliver sends the same event again with the same webhook-id", async () => {
    const [d] = (await deliveriesOf(endpointA.id)).filter((x) => x.eventType === "role.deactivated");
    await redeliverWebhook(w.ctx, w.alice.actor(), { deliveryId: d!.id });
    await pass();
    const copies = rx.received.filter((r) => r.id === d!.messageId);
    expect(copies).toHaveLength(2);
    expect(copies[0]!.body).toBe(copies[1]!.body);
  });

  it("an endpoint failing again and again is disabled, admins are told, its events wait and go out once it is enabled", async () => {
    const b = await createWebhookEndpoint(
      w.ctx,
      w.alice.actor(),
      { url: rx.url("/b"), eventTypes: ["role.activated"] },
      cipher,
    );
    rx.failPaths.add("/b");
    const emma = await w.d.user("Emma Smith");
    await w.d.eligible(emma, USER_ADMINISTRATOR, { start: w.since });
    for (let i = 0; i < 3; i++) {
      w.clock.advance(minutes(30));
      await activateRole(w.ctx, emma.actor(), {
        roleDefinitionId: USER_ADMINISTRATOR,
        durationMinutes: 30,
        justification: `Round ${i}`,
      });
      w.clock.advance(minutes(31)); // the activation is over; the next one may start
    }
    let disabled = 0;
    for (let i = 0; i < 6 && disabled === 0; i++) {
      disabled += (await pass({ disableAfter: 4 })).endpointsDisabled;
      w.clock.advance(hours(1));
    }
    expect(disabled).toBe(1);
    const [ep] = await w.h.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, b.id));
    expect(ep!.enabled).toBe(false);
    expect(ep!.consecutiveFailures).toBeGreaterThanOrEqual(4);
    expect(ep!.disabledReason).toMatch(/\d+ delivery attempts in a row failed \(last: HTTP 500\)/);
    const told = await w.h.db.select().from(notifications).where(eq(notifications.eventType, "webhookDisabled"));
    expect(told.map((n) => n.recipientUserId).sort()).toEqual([w.alice.id, w.bob.id].sort());
    // nothing is sent to a disabled endpoint; its deliveries wait
    const failedCodes = (await w.h.db.select().from(webhookAttempts)).filter((a) => a.statusCode === 500);
    expect(failedCodes.length).toBe(ep!.consecutiveFailures);
    w.clock.advance(hours(2));
    expect((await pass()).claimed).toBe(0);
    expect((await deliveriesOf(b.id)).every((d) => d.status === "pending")).toBe(true);

    rx.failPaths.delete("/b");
    await setWebhookEndpointEnabled(w.ctx, w.alice.actor(), { endpointId: b.id, enabled: true });
    const r = await pass();
    expect(r.delivered).toBe(3);
    const atB = rx.received.filter((x) => x.path === "/b");
    expect(new Set(atB.map((x) => x.id)).size).toBe(3);
    expect(atB).toHaveLength(3);
  });

  it("a security alert (the audit chain verification found a break) is an alert.raised event", async () => {
    await createWebhookEndpoint(
      w.ctx,
      w.alice.actor(),
      { url: rx.url("/alerts"), eventTypes: ["alert.raised"] },
      cipher,
    );
    await alertAdminsOfBreak(w.h.db, w.clock.now(), 4242, {
      ok: false,
      checked: 10,
      brokenAt: 7,
      breaks: [{ kind: "row-edited", rowId: 7, message: "row 7: hash does not match" }],
      breakCount: 1,
      head: null,
      checkpointsChecked: 0,
      legacyRows: 0,
    });
    await pass();
    const alerts = rx.received
      .filter((x) => x.path === "/alerts")
      .map((x) => JSON.parse(x.body) as { type: string; data: Record<string, unknown> });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      type: "alert.raised",
      data: { alert: "auditChainBroken", severity: "High", details: { verificationId: 4242, breakCount: 1 } },
    });
  });

  it("PIM for Groups: a membership activated is a membership.activated event naming the group and the access", async () => {
    await createWebhookEndpoint(
      w.ctx,
      w.alice.actor(),
      { url: rx.url("/memberships"), eventTypes: ["membership.activated", "role.activated"] },
      cipher,
    );
    const g = await w.d.group("Webhook Tier 2");
    const { memberDefinitionId } = await manageGroup(w.ctx, w.alice.actor(), { groupId: g.id });
    const u = await w.d.user("Mia Member");
    await w.d.eligible(u, memberDefinitionId, { start: w.since });
    await activateRole(w.ctx, u.actor({ mfaAt: w.clock.now() }), {
      roleDefinitionId: memberDefinitionId,
      durationMinutes: 60,
      justification: "Night shift",
    });
    await pass();
    const got = rx.received
      .filter((x) => x.path === "/memberships")
      .map((x) => JSON.parse(x.body) as { type: string; data: Record<string, unknown> });
    expect(got).toEqual([
      expect.objectContaining({
        type: "membership.activated",
        data: expect.objectContaining({
          group: { id: g.id, displayName: "Webhook Tier 2" },
          accessId: "member",
          principal: expect.objectContaining({ id: u.id, displayName: "Mia Member" }),
        }),
      }),
    ]);
  });

  it("a PIM alert turning on (High) is an alert.raised event too, once while it stays on", async () => {
    await createWebhookEndpoint(
      w.ctx,
      w.alice.actor(),
      { url: rx.url("/pim-alerts"), eventTypes: ["alert.raised"] },
      cipher,
    );
    const eve = await w.d.user("Eve Outsider");
    await w.d.active(eve, USER_ADMINISTRATOR, { start: w.since, origin: "external" });
    await refreshAlerts(w.ctx, w.alice.actor());
    await refreshAlerts(w.ctx, w.alice.actor()); // still on: not raised again
    await pass();
    const alerts = rx.received
      .filter((x) => x.path === "/pim-alerts")
      .map((x) => JSON.parse(x.body) as { type: string; data: Record<string, unknown> });
    expect(alerts).toEqual([
      expect.objectContaining({
        type: "alert.raised",
        data: expect.objectContaining({
          alert: "rolesAssignedOutsidePim",
          severity: "High",
          description: "Roles are being assigned outside of PIM",
          affectedCount: 1,
        }),
      }),
    ]);
  });

  it.runIf(usingPostgres)("ten workers at once send each due delivery once (PostgreSQL, SKIP LOCKED)", async () => {
    const c = await createWebhookEndpoint(
      w.ctx,
      w.alice.actor(),
      { url: rx.url("/c"), eventTypes: ["role.activated"] },
      cipher,
    );
    const u = await w.d.user("Parallel Person");
    await w.d.eligible(u, USER_ADMINISTRATOR, { start: w.since });
    for (let i = 0; i < 4; i++) {
      w.clock.advance(minutes(40));
      await activateRole(w.ctx, u.actor(), {
        roleDefinitionId: USER_ADMINISTRATOR,
        durationMinutes: 30,
        justification: `P${i}`,
      });
    }
    await fanOutEvents(w.h.db, w.clock.now(), { baseUrl: "https://pim.test" });
    await Promise.all(
      Array.from({ length: 10 }, () => deliverWebhooks(w.h.db, w.clock.now(), { decrypt, batchSize: 1 })),
    );
    const atC = rx.received.filter((x) => x.path === "/c");
    expect(atC).toHaveLength(4);
    expect(new Set(atC.map((x) => x.id)).size).toBe(4);
    expect((await deliveriesOf(c.id)).every((d) => d.status === "delivered")).toBe(true);
  });
});
