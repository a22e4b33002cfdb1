"use client";

import { Toaster as Sonner } from "sonner";

export { toast } from "sonner";

/**
 * The portal's toasts (sonner), mounted once in the portal layout. Call `toast.success("...")`,
 * `toast.error("...")` or `toast("...")` from client components after a server action answers.
 * Sonner renders an aria-live region, so toasts are announced.
 */
export function Toaster() {
  return (
    <Sonner
      position="top-right"
      richColors
      closeButton
      duration={6000}
      toastOptions={{ className: "font-sans text-sm" }}
    />
  );
}
