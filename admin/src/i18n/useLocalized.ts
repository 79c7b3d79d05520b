import { useLocaleState } from "react-admin";
import type { Localized } from "../types";
import { pick } from "./index";

/** Picks the en / zh variant of a server-provided label for the current locale. */
export function useLocalized() {
  const [locale] = useLocaleState();
  return (label: Localized | string | undefined, fallback = "") => pick(label, locale) ?? fallback;
}
