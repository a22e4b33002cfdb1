// The Roles list lives in a route group so its loading skeleton (a Suspense boundary) wraps only this page:
// under a boundary, a role page's notFound() after the shell was sent would answer 200 instead of 404.
import { BladeSkeleton } from "@/components/ui/skeleton";

export default function Loading() {
  return <BladeSkeleton label="Loading roles" />;
}
