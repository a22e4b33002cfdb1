"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { FieldErrorText, FormErrorText, useCreateOnce } from "@/components/ui/create-once";
import { ShownOnceSecret } from "@/components/ui/shown-once-secret";
import { WEBHOOK_EVENT_DESCRIPTIONS, WEBHOOK_EVENT_TYPES } from "@/lib/pim/notifications/webhook-types";
import {
  createWebhookEndpointAction,
  deleteWebhookEndpointAction,
  redeliverWebhookAction,
  setWebhookEndpointEnabledAction,
} from "./actions";

export function AddEndpointForm() {
  const { pending, error, fieldErrors, created, submit } = useCreateOnce((form) =>
    createWebhookEndpointAction({
      url: form.get("url"),
      description: form.get("description"),
      eventTypes: form.getAll("eventTypes"),
    }),
  );

  return (
    <div className="space-y-4">
      {created ? (
        <ShownOnceSecret
          title="Endpoint added. Copy its signing secret now: it is shown only once."
          label="Signing secret"
          value={created.secret}
          testId="new-webhook-secret"
        >
          <p className="mt-1 text-[#404040]">
            Verify each request&apos;s <code className="font-mono text-xs">webhook-signature</code> with it (Standard
            Webhooks).{" "}
            <a className="text-[#004e8c] underline" href={`/webhooks/${created.id}`}>
              Open the delivery log
            </a>
          </p>
        </ShownOnceSecret>
      ) : null}
      <form action={submit} className="space-y-3" aria-describedby={error ? "webhook-error" : undefined}>
        <div>
          <label htmlFor="webhook-url" className="block text-sm font-semibold">
            Endpoint URL
          </label>
          <input
            id="webhook-url"
            name="url"
            type="url"
            required
            maxLength={2000}
            placeholder="https://hooks.example.com/pim"
            className="mt-1 w-[32rem] max-w-full rounded border border-[#8a8886] px-2 py-1 text-sm"
            aria-invalid={fieldErrors.url ? true : undefined}
            aria-describedby={fieldErrors.url ? "webhook-url-error" : undefined}
          />
          <FieldErrorText id="webhook-url-error" errors={fieldErrors.url} />
        </div>
        <div>
          <label htmlFor="webhook-description" className="block text-sm font-semibold">
            Description (optional)
          </label>
          <input
            id="webhook-description"
            name="description"
            maxLength={200}
            className="mt-1 w-[32rem] max-w-full rounded border border-[#8a8886] px-2 py-1 text-sm"
          />
        </div>
        <fieldset aria-describedby={fieldErrors.eventTypes ? "webhook-events-error" : undefined}>
          <legend className="text-sm font-semibold">Events</legend>
          <div className="mt-1 grid gap-1 sm:grid-cols-2">
            {WEBHOOK_EVENT_TYPES.map((t) => (
              <label key={t} className="flex items-start gap-2 text-sm">
                <input type="checkbox" name="eventTypes" value={t} className="mt-1" defaultChecked />
                <span>
                  <span className="font-mono text-xs">{t}</span>
                  <br />
                  <span className="text-[#404040]">{WEBHOOK_EVENT_DESCRIPTIONS[t]}</span>
                </span>
              </label>
            ))}
          </div>
          <FieldErrorText id="webhook-events-error" errors={fieldErrors.eventTypes} />
        </fieldset>
        <FormErrorText id="webhook-error" error={error} />
        <button
          type="submit"
          disabled={pending}
          className="rounded bg-[#0078d4] px-4 py-1.5 text-sm font-semibold text-white disabled:opacity-60"
        >
          {pending ? "Adding…" : "Add endpoint"}
        </button>
      </form>
    </div>
  );
}

function useAct() {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const act = (fn: () => Promise<{ ok: boolean; message?: string }>, after?: () => void) =>
    start(async () => {
      setError(null);
      const r = await fn();
      if (!r.ok) setError(r.message ?? "That did not work.");
      else {
        after?.();
        router.refresh();
      }
    });
  return { pending, error, act };
}

export function EndpointActions({ endpointId, enabled, url }: { endpointId: string; enabled: boolean; url: string }) {
  const router = useRouter();
  const { pending, error, act } = useAct();
  return (
    <div className="flex flex-wrap items-center gap-3">
      <button
        type="button"
        disabled={pending}
        className="rounded border border-[#8a8886] px-3 py-1 text-sm disabled:opacity-60"
        onClick={() => act(() => setWebhookEndpointEnabledAction({ endpointId, enabled: !enabled }))}
      >
        {enabled ? "Disable" : "Enable"}
      </button>
      <button
        type="button"
        disabled={pending}
        className="rounded border border-[#a4262c] px-3 py-1 text-sm text-[#a4262c] disabled:opacity-60"
        onClick={() => {
          if (!window.confirm(`Delete the endpoint ${url} and its delivery log?`)) return;
          act(
            () => deleteWebhookEndpointAction({ endpointId }),
            () => router.push("/webhooks"),
          );
        }}
      >
        Delete
      </button>
      {error ? (
        <span role="alert" className="text-sm text-[#a4262c]">
          {error}
        </span>
      ) : null}
    </div>
  );
}

export function RedeliverButton({ deliveryId, label }: { deliveryId: string; label: string }) {
  const { pending, error, act } = useAct();
  return (
    <span>
      <button
        type="button"
        disabled={pending}
        aria-label={`Redeliver ${label}`}
        className="text-sm text-[#004e8c] hover:underline disabled:opacity-60"
        onClick={() => act(() => redeliverWebhookAction({ deliveryId }))}
      >
        Redeliver
      </button>
      {error ? (
        <span role="alert" className="ml-2 text-xs text-[#a4262c]">
          {error}
        </span>
      ) : null}
    </span>
  );
}
