import { useTranslate } from "react-admin";
import { useSession } from "./useSession";

/**
 * Rule sets, policy tables and custom fields are authored by consultants; the server answers 403
 * to anyone else, so HR admins get these screens read-only instead of buttons that fail.
 */
export const useCanAuthor = () => useSession().user?.role === "consultant";

/** Undefined for authors; otherwise the sentence that says why the editor is read-only. */
export const useReadOnlyReason = (): string | undefined => {
  const translate = useTranslate();
  return useCanAuthor() ? undefined : translate("ordo.common.read_only_reason");
};
