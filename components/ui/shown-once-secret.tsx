"use client";

import { useRef, useState, type ReactNode } from "react";
import { Copy } from "lucide-react";
import { Button } from "./button";
import { Notice } from "./notice";

/**
 * A secret the server returns once (an API token, a client secret, a SCIM token, a webhook signing secret):
 * the success bar with the value, a Copy button and what to do with it (`children`). The value is never
 * kept anywhere else: leaving the page loses it, which the title says.
 *
 * Copy uses the Clipboard API; where the browser refuses it (an insecure origin, a denied permission) the
 * value is selected instead and the status line asks for Ctrl+C, so a keyboard user always gets the value.
 */
export function ShownOnceSecret({
  title,
  label,
  value,
  testId,
  children,
}: {
  /** What was created and that it is shown once ("Copy the token “ci” now. It is shown only once."). */
  title: ReactNode;
  /** The value's name, for the Copy button and screen readers ("Secret value"). */
  label: string;
  value: string;
  testId: string;
  children?: ReactNode;
}) {
  const code = useRef<HTMLElement>(null);
  const [copied, setCopied] = useState<"copied" | "select" | null>(null);

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied("copied");
    } catch {
      const el = code.current;
      if (el) window.getSelection()?.selectAllChildren(el);
      setCopied("select");
    }
  }

  return (
    <Notice tone="success">
      <p className="font-semibold">{title}</p>
      <div className="mt-2 flex items-start gap-2">
        <code
          ref={code}
          data-testid={testId}
          aria-label={label}
          className="block min-w-0 flex-1 break-all rounded bg-white p-2 font-mono text-xs"
        >
          {value}
        </code>
        <Button variant="secondary" onClick={copy} aria-label={`Copy ${label.toLowerCase()}`}>
          <Copy aria-hidden className="size-4" />
          Copy
        </Button>
      </div>
      <p aria-live="polite" className="mt-1 text-xs text-neutral-700 empty:mt-0">
        {copied === "copied"
          ? `${label} copied to the clipboard.`
          : copied === "select"
            ? `The browser did not allow copying: ${label.toLowerCase()} is selected, press Ctrl+C.`
            : ""}
      </p>
      {children}
    </Notice>
  );
}
