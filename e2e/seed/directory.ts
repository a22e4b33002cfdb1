/**
 * The one fixed person of the end-to-end seed (never in the demo). Specs make their own people through
 * e2e/factories.ts; this one exists before the server starts because his failed email is made by the seed.
 */
import { DEMO_DOMAIN } from "@/db/demo-directory";

export const e2eUsers = {
  // Notifications spec: their mailbox refuses mail, so the seed leaves one failed email for admins' Delivery problems.
  bounce: {
    id: "10000000-0000-4000-8000-0000000000f2",
    displayName: "Bruno Bounce",
    userPrincipalName: `bruno.bounce@${DEMO_DOMAIN}`,
    totpSecret: "",
    enrolled: false,
  },
};
