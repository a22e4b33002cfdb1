"use client";

import { Toaster as Sonner } from "sonner";

export { toast } from "sonner";

/**
 * The portal's toasts (sonner), mounted once in the portal layout. Call `toast.success("...")`,
 * `toast.error("...")` or `toast("...")` from client components after a server action answers.
 * Sonner renders an aria-live region, so toasts are announced. Like the Azure portal's notifications they
 * appear at the right *under* the top bar (offset past its 40 px), so they never cover the signed-in name
 * or Sign out.
 */
export function Toaster() {
  return (
    <Sonner
      position="top-right"
      offset={{ top: 52, right: 16 }}
      mobileOffset={{ top: 52 }}
      richColors
      closeButton
      duration={6000}
      toastOptions={{ className: "font-sans text-sm" }}
    />
  );
}
