"use client";

import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { CheckCheck, RotateCw } from "lucide-react";
import { Button } from "@/components/ui/button";
import { CommandButton } from "@/components/ui/command-bar";
import { toast } from "@/components/ui/toaster";
import { markAllNotificationsReadAction, markNotificationsReadAction, retryDeliveriesAction } from "./actions";

type Result = { ok: true; data: unknown } | { ok: false; message: string };

/** Runs a server action, toasts its outcome and re-renders the page (and the bell in the top bar). */
function useAction() {
  const router = useRouter();
  const [pending, start] = useTransition();
  const run = (fn: () => Promise<Result>, success: string) =>
    start(async () => {
      const r = await fn();
      if (r.ok) {
        toast.success(success);
        router.refresh();
      } else toast.error(r.message);
    });
  return { pending, run };
}

export function MarkReadButton({ id, subject }: { id: string; subject: string }) {
  const { pending, run } = useAction();
  return (
    <Button
      variant="link"
      pending={pending}
      aria-label={`Mark as read: ${subject}`}
      onClick={() => run(() => markNotificationsReadAction({ ids: [id] }), "Marked as read.")}
    >
      Mark as read
    </Button>
  );
}

export function MarkAllReadButton({ disabled }: { disabled: boolean }) {
  const { pending, run } = useAction();
  return (
    <CommandButton
      disabled={disabled}
      pending={pending}
      onClick={() => run(() => markAllNotificationsReadAction(), "All notifications are marked as read.")}
    >
      <CheckCheck aria-hidden /> Mark all as read
    </CommandButton>
  );
}

export function RetryDeliveriesButton({
  ids,
  label,
  describedAs,
}: {
  ids: string[];
  label: string;
  describedAs?: string;
}) {
  const { pending, run } = useAction();
  return (
    <Button
      variant={ids.length > 1 ? "secondary" : "link"}
      pending={pending}
      disabled={ids.length === 0}
      aria-label={describedAs}
      onClick={() =>
        run(
          () => retryDeliveriesAction({ ids }),
          ids.length === 1 ? "The email is back in the queue." : `${ids.length} emails are back in the queue.`,
        )
      }
    >
      {ids.length > 1 ? <RotateCw aria-hidden className="size-4" /> : null}
      {label}
    </Button>
  );
}
