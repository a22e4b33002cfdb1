/**
 * Extra people for the end-to-end tests only (never in the demo): each test that changes a person's
 * state irreversibly (e.g. locks their MFA) gets its own person, so specs do not disturb each other.
 */
import { DEMO_DOMAIN } from "./demo-directory";

export const e2eUsers = {
  lockout: {
    id: "10000000-0000-4000-8000-0000000000e1",
    displayName: "Lena Lockout",
    userPrincipalName: `lena.lockout@${DEMO_DOMAIN}`,
    totpSecret: "JJBFGV2ZGNCFARKIKBFVGUCYKNJFGV2Z",
    enrolled: true,
  },
  unenrolled: {
    id: "10000000-0000-4000-8000-0000000000e2",
    displayName: "Ursula Unenrolled",
    userPrincipalName: `ursula.unenrolled@${DEMO_DOMAIN}`,
    totpSecret: "",
    enrolled: false,
  },
  reuse: {
    id: "10000000-0000-4000-8000-0000000000e3",
    displayName: "Ravi Reuse",
    userPrincipalName: `ravi.reuse@${DEMO_DOMAIN}`,
    totpSecret: "KVKFKRCPNZQUYMLXOVYDSQKJKZDTSRLD",
    enrolled: true,
  },
  disabled: {
    id: "10000000-0000-4000-8000-0000000000e4",
    displayName: "Dana Disabled",
    userPrincipalName: `dana.disabled@${DEMO_DOMAIN}`,
    totpSecret: "GAYDAMBQGAYDAMBQGAYDAMBQGAYDAMBQ",
    enrolled: true,
  },
  // Users spec: an admin resets this person's MFA; their next sign-in asks them to enrol again.
  mfaReset: {
    id: "10000000-0000-4000-8000-0000000000e5",
    displayName: "Remy Reset",
    userPrincipalName: `remy.reset@${DEMO_DOMAIN}`,
    totpSecret: "MNXW2ZLSMFXGIZLUMNXW2ZLSMFXGIZLU",
    enrolled: true,
  },
  // Activity spec: the target of a run of audited MFA resets (paging, filters, CSV); never signs in.
  auditPager: {
    id: "10000000-0000-4000-8000-0000000000e6",
    displayName: "Paige Pager",
    userPrincipalName: `paige.pager@${DEMO_DOMAIN}`,
    totpSecret: "OBQWOZJAOBQWOZLSOBQWOZJAOBQWOZLS",
    enrolled: true,
  },
  // Expiry spec: activates Global Reader (no other spec uses that role) and lets it expire through the cron route.
  expiry: {
    id: "10000000-0000-4000-8000-0000000000f1",
    displayName: "Evan Expiry",
    userPrincipalName: `evan.expiry@${DEMO_DOMAIN}`,
    totpSecret: "MJYCGTJCCGLFCEG53MED7XIU7HWIHHUA",
    enrolled: true,
  },
  // Notifications spec: their mailbox refuses mail, so the seed leaves one failed email for admins' Delivery problems.
  bounce: {
    id: "10000000-0000-4000-8000-0000000000f2",
    displayName: "Bruno Bounce",
    userPrincipalName: `bruno.bounce@${DEMO_DOMAIN}`,
    totpSecret: "",
    enrolled: false,
  },
  // Auth spec: ten wrong passwords lock this account's password sign-in (smart lockout).
  passwordLockout: {
    id: "10000000-0000-4000-8000-0000000000f3",
    displayName: "Perry Password",
    userPrincipalName: `perry.password@${DEMO_DOMAIN}`,
    totpSecret: "ONSWG4TFORZWC3DUONSWG4TFORZWC3DU",
    enrolled: true,
  },
  // Graph API spec: gets eligibilities through the API, self-activates with personal tokens.
  graphUser: {
    id: "10000000-0000-4000-8000-0000000000a6",
    displayName: "Gina Graph",
    userPrincipalName: `gina.graph@${DEMO_DOMAIN}`,
    totpSecret: "XD264N3QRSMUYHYXLV7PPULNGBW4AVYX",
    enrolled: true,
  },
  // Users-disable spec: eligible for Helpdesk Administrator and Groups Administrator (db/e2e-disable-seed.ts); activates
  // one, asks for the other, and is disabled (the activation ends, the request is canceled) then enabled by an admin.
  orphan: {
    id: "10000000-0000-4000-8000-0000000000e7",
    displayName: "Oscar Orphan",
    userPrincipalName: `oscar.orphan@${DEMO_DOMAIN}`,
    totpSecret: "N5ZWGYLSN5ZHA2DBNZXXGY3BOJXXE4DI",
    enrolled: true,
  },
  // Graph API spec: the approver (set through the API's policy PATCH) who approves with a personal token.
  graphApprover: {
    id: "10000000-0000-4000-8000-0000000000a7",
    displayName: "Arjun Approver",
    userPrincipalName: `arjun.approver@${DEMO_DOMAIN}`,
    totpSecret: "5SFG32ZUMTCUTP5ZQT6BU67GBRDPKNZN",
    enrolled: true,
  },
};
