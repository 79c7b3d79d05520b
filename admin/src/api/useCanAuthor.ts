import { useSession } from "./useSession";

/**
 * Rule sets, policy tables and custom fields are authored by consultants; the server answers 403
 * to anyone else, so HR admins get these screens read-only instead of buttons that fail.
 */
export const useCanAuthor = () => useSession().user?.role === "consultant";
