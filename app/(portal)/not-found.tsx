import type { Metadata } from "next";
import { PageNotFound } from "@/components/chrome/page-not-found";

export const metadata: Metadata = { title: "Page not found" };

/** notFound() in a portal page: the 404 inside the blade chrome (the portal layout is already around it). */
export default function PortalNotFound() {
  return <PageNotFound />;
}
