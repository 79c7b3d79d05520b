import { useEffect } from "react";
import { useBlocker, useCanBlock, useTranslate } from "react-admin";

/**
 * Asks before leaving a screen with unsaved changes: in-app navigation through the router's blocker,
 * closing or reloading the tab through the browser's own prompt.
 */
export function useUnsavedChanges(dirty: boolean): void {
  const translate = useTranslate();
  const canBlock = useCanBlock();
  const blocker = useBlocker(canBlock && dirty);
  useEffect(() => {
    if (blocker.state !== "blocked") return;
    if (window.confirm(translate("ordo.common.unsaved_confirm"))) blocker.proceed?.();
    else blocker.reset?.();
  }, [blocker, translate]);
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = "";
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);
}
