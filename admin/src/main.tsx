import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { BrowserRouter } from "react-router-dom";
import { restoreSession } from "./api/authProvider";
import { App } from "./App";

// The entity catalogue must be known before <Admin> declares its resources.
// BrowserRouter (react-admin defaults to a hash router): the server has an SPA fallback.
restoreSession().finally(() => {
  createRoot(document.getElementById("root")!).render(
    <StrictMode>
      <BrowserRouter>
        <App />
      </BrowserRouter>
    </StrictMode>,
  );
});
