import { describe, expect, it } from "vitest";
import { clientIpFrom } from "./client-ip";

const h = (xff?: string) => new Headers(xff === undefined ? {} : { "x-forwarded-for": xff });

describe("clientIpFrom", () => {
  it("takes the address the trusted proxy saw, not the client's own first entry", () => {
    // client forged "6.6.6.6"; the one proxy appended the real peer 203.0.113.7
    expect(clientIpFrom(h("6.6.6.6, 203.0.113.7"), 1)).toBe("203.0.113.7");
    expect(clientIpFrom(h("203.0.113.7"), 1)).toBe("203.0.113.7");
    // two proxies (CDN + load balancer): the CDN's view is second from the right
    expect(clientIpFrom(h("6.6.6.6, 198.51.100.9, 10.0.0.2"), 2)).toBe("198.51.100.9");
    expect(clientIpFrom(h("2001:db8::1"), 1)).toBe("2001:db8::1");
  });

  it("nothing when the header is absent, too short for the hops, disabled (0), or not an address", () => {
    expect(clientIpFrom(h(), 1)).toBeNull();
    expect(clientIpFrom(h("203.0.113.7"), 2)).toBeNull();
    expect(clientIpFrom(h("203.0.113.7"), 0)).toBeNull();
    expect(clientIpFrom(h("<script>alert(1)</script>"), 1)).toBeNull();
  });
});
