import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { restoreSession } from "./api/authProvider";
import { App } from "./App";

// The entity catalogue must be known before <Admin> declares its resources.
restoreSession().finally(() => {
  createRoot(document.getElementById("root")!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
});
