import Link from "@/components/ui/link";

/** "Home > Privileged Identity Management | Microsoft Entra roles > <tenant>" */
export function Breadcrumb({ tenantName }: { tenantName: string }) {
  const sep = (
    <span aria-hidden className="px-1.5 text-neutral-500">
      &gt;
    </span>
  );
  return (
    <nav aria-label="Breadcrumb" className="px-6 pt-3 pb-1 text-[13px]">
      <ol className="flex flex-wrap items-center">
        <li>
          <Link href="/overview" className="text-[#005a9e] hover:underline">
            Home
          </Link>
          {sep}
        </li>
        <li>
          <Link href="/overview" className="text-[#005a9e] hover:underline">
            Privileged Identity Management | Microsoft Entra roles
          </Link>
          {sep}
        </li>
        <li aria-current="location" className="text-neutral-800">
          {tenantName}
        </li>
      </ol>
    </nav>
  );
}
