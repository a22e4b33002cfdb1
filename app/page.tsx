import { redirect } from "next/navigation";

/** The portal opens on the blade's Overview (which sends signed-out visitors to sign-in). */
export default function Home() {
  redirect("/overview");
}
