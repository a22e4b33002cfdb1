import { Search } from "lucide-react";
import { Button } from "@/components/ui/button";
import { TextInput } from "@/components/ui/field";

/** The Groups blade's search box (a GET form: the query and the first page go in the URL). */
export function GroupsSearch({ q }: { q: string }) {
  return (
    <form role="search" action="/groups" className="my-3 flex max-w-md items-center gap-2">
      <label htmlFor="groups-search" className="sr-only">
        Search groups by name
      </label>
      <div className="relative flex-1">
        <Search aria-hidden className="pointer-events-none absolute top-2 left-2 size-4 text-neutral-600" />
        <TextInput
          id="groups-search"
          name="q"
          type="search"
          defaultValue={q}
          maxLength={200}
          placeholder="Search groups by name"
          className="pl-8"
        />
      </div>
      <Button type="submit">Search</Button>
    </form>
  );
}
