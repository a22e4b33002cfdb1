"use client";

import NextLink from "next/link";
import { useState, type ComponentProps } from "react";

/**
 * The portal's link: Next's <Link> without viewport prefetching. By default Next prefetches every visible
 * link of a dynamic route (the left menu alone was 12 background requests per page, each a server render on
 * 2 cores), so pages kept loading for seconds after their content showed. This one prefetches only when the
 * pointer rests on it or it takes keyboard focus, i.e. when someone is about to follow it.
 */
export default function Link({ prefetch, onMouseEnter, onFocus, ...props }: ComponentProps<typeof NextLink>) {
  const [wanted, setWanted] = useState(false);
  return (
    <NextLink
      {...props}
      prefetch={prefetch === false ? false : wanted ? prefetch : false}
      onMouseEnter={(e) => {
        setWanted(true);
        onMouseEnter?.(e);
      }}
      onFocus={(e) => {
        setWanted(true);
        onFocus?.(e);
      }}
    />
  );
}
