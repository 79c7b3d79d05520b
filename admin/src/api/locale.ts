/** The admin's language right now (react-admin keeps the choice in its store), else the browser's. */
export function currentLocale(): "zh-CN" | "en" {
  try {
    const stored = JSON.parse(localStorage.getItem("RaStore.locale") ?? "null");
    if (stored === "en" || stored === "zh-CN") return stored;
  } catch {
    /* not JSON: fall through */
  }
  return navigator.language.toLowerCase().startsWith("zh") ? "zh-CN" : "en";
}
