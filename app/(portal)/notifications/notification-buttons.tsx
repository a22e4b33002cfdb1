"use client";

import { useState, useTransition } from "react";
import { markAllNotificationsReadAction, markNotificationsReadAction, retryDeliveriesAction } from "./actions";

type Result = { ok: true } | { ok: false; message: string };

function useAction() {
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const run = (fn: () => Promise<Result>) =>
    start(async () => {
      const r = await fn();
      setError(r.ok ? null : r.message);
    });
  return { pending, error, run };
}

const buttonClass =
  "inline-flex items-center gap-1 rounded-sm border border-[#8a8886] bg-white px-3 py-1 text-sm text-[#323130] hover:bg-[#f3f2f1] disabled:opacity-50";

function ErrorText({ error }: { error: string | null }) {
  return (
    <span role="status" aria-live="polite" className="text-sm text-[#a4262c]">
      {error}
    </span>
  );
}

export function MarkReadButton({ id, subject }: { id: string; subject: string }) {
  const { pending, error, run } = useAction();
  return (
    <>
      <button
        type="button"
        className="text-sm text-[#0078d4] hover:underline disabled:opacity-50"
        disabled={pending}
        aria-label={`Mark as read: ${subject}`}
        onClick={() => run(() => markNotificationsReadAction({ ids: [id] }))}
      >
        Mark as read
      </button>
      <ErrorText error={error} />
    </>
  );
}

export function MarkAllReadButton({ disabled }: { disabled: boolean }) {
  const { pending, error, run } = useAction();
  return (
    <>
      <button type="button" className={buttonClass} disabled={disabled || pending} onClick={() => run(() => markAllNotificationsReadAction())}>
        Mark all as read
      </button>
      <ErrorText error={error} />
    </>
  );
}

export function RetryDeliveriesButton({ ids, label }: { ids: string[]; label: string }) {
  const { pending, error, run } = useAction();
  return (
    <>
      <button type="button" className={buttonClass} disabled={pending || ids.length === 0} onClick={() => run(() => retryDeliveriesAction({ ids }))}>
        {label}
      </button>
      <ErrorText error={error} />
    </>
  );
}
